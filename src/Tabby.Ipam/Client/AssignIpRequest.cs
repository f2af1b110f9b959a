namespace Tabby.Ipam.Client;

/// <summary>A request for one specific address (Calico's AssignIPArgs; the CNI plugin's <c>ipAddrs</c>).</summary>
public sealed record AssignIpRequest
{
    /// <summary>The address, e.g. <c>10.20.1.7</c> or <c>fd00::7</c>.</summary>
    public required string Address { get; init; }

    /// <summary>The node it is for: a block that does not exist yet is claimed for it.</summary>
    public required string Host { get; init; }

    /// <summary>The owning handle.</summary>
    public string? HandleId { get; init; }

    /// <summary>Owner attributes.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>What it is for; the pool must allow it.</summary>
    public IntendedUse Use { get; init; } = IntendedUse.Workload;
}
