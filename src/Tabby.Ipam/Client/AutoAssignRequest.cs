namespace Tabby.Ipam.Client;

/// <summary>A request for addresses from whichever pools qualify (Calico's AutoAssignArgs).</summary>
public sealed record AutoAssignRequest
{
    /// <summary>The node the addresses are for: its blocks are used first.</summary>
    public required string Host { get; init; }

    /// <summary>How many IPv4 addresses.</summary>
    public int Num4 { get; init; }

    /// <summary>How many IPv6 addresses.</summary>
    public int Num6 { get; init; }

    /// <summary>The handle that owns the addresses (<c>&lt;network&gt;.&lt;containerID&gt;</c> for workloads); release by it later.</summary>
    public string? HandleId { get; init; }

    /// <summary>Owner attributes recorded with each allocation (node, namespace, pod, timestamp).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>IPv4 pool CIDRs to use instead of selection by node; each must exist and be enabled.</summary>
    public IReadOnlyList<string>? IPv4Pools { get; init; }

    /// <summary>IPv6 pool CIDRs to use instead of selection by node.</summary>
    public IReadOnlyList<string>? IPv6Pools { get; init; }

    /// <summary>What the addresses are for; pools must allow it.</summary>
    public IntendedUse Use { get; init; } = IntendedUse.Workload;

    /// <summary>Labels of the workload's namespace, for pools with a namespaceSelector; null when unknown.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels { get; init; }

    /// <summary>A per-request cap on blocks this host may claim (0: the configured one).</summary>
    public int MaxBlocksPerHost { get; init; }
}
