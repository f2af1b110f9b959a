namespace Tabby.Node.Dataplane;

/// <summary>Timing of the dataplane's apply loop.</summary>
public sealed record DataplaneOptions
{
    /// <summary>How often everything is read back and every setting written again, whatever the events said.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first wait before retrying a failed apply; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a restarted agent keeps the learned routes it found while waiting for BGP's End-of-RIBs.</summary>
    public TimeSpan LearnedRouteRetention { get; init; } = TimeSpan.FromSeconds(120);
}
