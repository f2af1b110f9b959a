namespace Tabby.Ipam.Client;

/// <summary>Tuning for an <see cref="IpamClient"/>; the defaults are Calico's.</summary>
public sealed record IpamOptions
{
    /// <summary>How many times one step retries after losing a compare-and-swap race (Calico: 100).</summary>
    public int MaxAttempts { get; init; } = 100;

    /// <summary>The longest wait between retries; each wait is a random fraction of an exponentially growing bound.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a block must have been claimed before another host may take it over when it is empty.</summary>
    public TimeSpan EmptyBlockReclaimAge { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The clock (tests use a fake one).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
