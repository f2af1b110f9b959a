namespace Tabby.Ipam.Check;

/// <summary>How <see cref="IpamChecker"/> judges what it reads.</summary>
public sealed record IpamCheckOptions
{
    /// <summary>An allocation nothing uses yet counts as in flight, not leaked, while it is younger than this (by its <c>timestamp</c> attribute).</summary>
    /// <remarks>The CNI plugin allocates first and writes the workload endpoint after, so a check taken in between sees an
    /// allocation with no user. Zero (the default, as in calicoctl) counts every such allocation as leaked.</remarks>
    public TimeSpan LeakGrace { get; init; } = TimeSpan.Zero;

    /// <summary>The clock the grace period and the report's time come from.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
