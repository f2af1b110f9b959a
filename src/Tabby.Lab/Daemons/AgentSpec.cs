namespace Tabby.Lab.Daemons;

/// <summary>How to start one `tabby node run` for a lab host.</summary>
public sealed record AgentSpec
{
    /// <summary>The node name.</summary>
    public required string NodeName { get; init; }

    /// <summary>The host's named network namespace, which the agent programs.</summary>
    public required string Namespace { get; init; }

    /// <summary><c>sqlite:PATH</c> or <c>etcd:URL</c>.</summary>
    public required string Datastore { get; init; }

    /// <summary>A directory of the lab's own for the control socket, the nodename file and the log.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>The node address ("autodetect" or ADDR/LEN).</summary>
    public string IPv4 { get; init; } = "autodetect";

    /// <summary>The pool to create when none exists; null for none.</summary>
    public string? DefaultPool { get; init; }

    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The BGP hold time the agent proposes (labs testing failures use a short one).</summary>
    public TimeSpan BgpHoldTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>More arguments for `tabby node run`.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
