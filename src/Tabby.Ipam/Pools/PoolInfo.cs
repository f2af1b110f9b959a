using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Selectors;

namespace Tabby.Ipam.Pools;

/// <summary>What IPAM needs of one IPPool, parsed once.</summary>
public sealed record PoolInfo(
    string Name,
    IpPrefix Cidr,
    int BlockSize,
    bool Disabled,
    Selector NodeSelector,
    Selector? NamespaceSelector,
    IReadOnlySet<IntendedUse> AllowedUses,
    bool Automatic)
{
    /// <summary>Parses a pool; null (with the reason) when it cannot be used, which validation normally prevents.</summary>
    public static PoolInfo? From(IPPool pool, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = pool.Metadata.Name ?? "";
        var spec = pool.Spec;
        if (!IpPrefix.TryParse(spec.Cidr.AsSpan(), out var cidr, out var error))
        {
            problem = $"IPPool {name}: {error}";
            return null;
        }

        var blockSize = spec.BlockSize > 0 ? spec.BlockSize : cidr.IsIPv6 ? 122 : 26;
        if (blockSize < cidr.Length || blockSize > cidr.MaxLength || cidr.MaxLength - blockSize > 12)
        {
            problem = $"IPPool {name}: blockSize {blockSize} does not fit {cidr}";
            return null;
        }

        if (!Selector.TryParse(string.IsNullOrWhiteSpace(spec.NodeSelector) ? "all()" : spec.NodeSelector, out var nodeSelector, out error))
        {
            problem = $"IPPool {name}: nodeSelector: {error}";
            return null;
        }

        Selector? namespaceSelector = null;
        if (!string.IsNullOrWhiteSpace(spec.NamespaceSelector) && !Selector.TryParse(spec.NamespaceSelector, out namespaceSelector, out error))
        {
            problem = $"IPPool {name}: namespaceSelector: {error}";
            return null;
        }

        var uses = new HashSet<IntendedUse>();
        foreach (var use in spec.AllowedUses is { Count: > 0 } given ? given : ["Workload", "Tunnel"])
        {
            if (string.Equals(use, "Workload", StringComparison.OrdinalIgnoreCase))
                uses.Add(IntendedUse.Workload);
            else if (string.Equals(use, "Tunnel", StringComparison.OrdinalIgnoreCase))
                uses.Add(IntendedUse.Tunnel);
        }

        problem = null;
        var automatic = !string.Equals(spec.AssignmentMode, "Manual", StringComparison.OrdinalIgnoreCase);
        return new PoolInfo(name, cidr, blockSize, spec.Disabled, nodeSelector, namespaceSelector, uses, automatic);
    }

    /// <summary>How many blocks the pool holds.</summary>
    public UInt128 BlockCount => UInt128.One << (BlockSize - Cidr.Length);
}
