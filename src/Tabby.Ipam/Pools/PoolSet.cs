using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;

namespace Tabby.Ipam.Pools;

/// <summary>The IP pools, and the choice of which ones a request may use (Calico's determinePools).</summary>
public sealed class PoolSet
{
    private static readonly Dictionary<string, string> s_noLabels = [];

    private PoolSet(IReadOnlyList<PoolInfo> all, IReadOnlyList<string> problems)
    {
        All = all;
        Problems = problems;
    }

    /// <summary>Every usable pool, enabled or not.</summary>
    public IReadOnlyList<PoolInfo> All { get; }

    /// <summary>Pools skipped because they do not parse (a stored pool written by other tools).</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Pools already parsed (and the reasons others could not be).</summary>
    internal static PoolSet FromInfos(IReadOnlyList<PoolInfo> all, IReadOnlyList<string> problems) => new(all, problems);

    public static PoolSet From(IEnumerable<IPPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var all = new List<PoolInfo>();
        var problems = new List<string>();
        foreach (var pool in pools)
        {
            if (PoolInfo.From(pool, out var problem) is { } info)
                all.Add(info);
            else
                problems.Add(problem!);
        }

        return new PoolSet(all, problems);
    }

    /// <summary>The enabled pools of a family.</summary>
    public IEnumerable<PoolInfo> Enabled(bool isV6) => All.Where(p => !p.Disabled && p.Cidr.IsIPv6 == isV6);

    /// <summary>The enabled pool holding an address, or null.</summary>
    public PoolInfo? EnabledContaining(IpPrefix address) => All.FirstOrDefault(p => !p.Disabled && p.Cidr.Contains(address));

    /// <summary>Any pool (enabled or not) holding an address, or null.</summary>
    public PoolInfo? Containing(IpPrefix address) => All.FirstOrDefault(p => p.Cidr.Contains(address));

    /// <summary>The pools a request may draw from, best first.</summary>
    /// <param name="isV6">The family.</param>
    /// <param name="requested">Pool CIDRs the caller named; used as given (selectors ignored, as in Calico), but each must exist and be enabled.</param>
    /// <param name="host">The node, for messages.</param>
    /// <param name="nodeLabels">The node's labels (empty when it is not registered).</param>
    /// <param name="namespaceLabels">The workload namespace's labels, or null when unknown (namespaceSelectors then match).</param>
    /// <param name="use">What the addresses are for.</param>
    /// <exception cref="IpamException">Code NoQualifiedPool, saying which rule excluded what.</exception>
    public List<PoolInfo> Select(
        bool isV6, IReadOnlyList<string>? requested, string host, IReadOnlyDictionary<string, string>? nodeLabels,
        IReadOnlyDictionary<string, string>? namespaceLabels, IntendedUse use)
    {
        var family = isV6 ? "IPv6" : "IPv4";
        var enabled = Enabled(isV6).ToList();
        if (enabled.Count == 0)
            throw new IpamException(IpamErrorCode.NoQualifiedPool, $"no enabled {family} IP pool exists");

        List<PoolInfo> chosen;
        if (requested is { Count: > 0 })
        {
            chosen = [];
            foreach (var text in requested)
            {
                var pool = IpPrefix.TryParse(text.AsSpan(), out var cidr, out _)
                    ? enabled.FirstOrDefault(p => p.Cidr == cidr)
                    : enabled.FirstOrDefault(p => p.Name == text);
                if (pool is null)
                    throw new IpamException(IpamErrorCode.NoQualifiedPool, $"the requested pool {text} does not exist, is not enabled or is not {family}");
                chosen.Add(pool);
            }
        }
        else
        {
            var labels = nodeLabels ?? s_noLabels;
            var automatic = enabled.Where(p => p.Automatic).ToList();
            if (automatic.Count == 0)
                throw new IpamException(IpamErrorCode.NoQualifiedPool, $"every enabled {family} pool has assignmentMode Manual; name one to use it");
            chosen = automatic.Where(p => p.NodeSelector.Matches(labels)).ToList();
            if (chosen.Count == 0)
                throw new IpamException(IpamErrorCode.NoQualifiedPool,
                    $"no enabled {family} pool selects node {host} (nodeSelectors: {string.Join(", ", automatic.Select(p => $"{p.Name}: {p.NodeSelector}"))})");
            if (namespaceLabels is not null)
            {
                chosen = chosen.Where(p => p.NamespaceSelector is null || p.NamespaceSelector.Matches(namespaceLabels)).ToList();
                if (chosen.Count == 0)
                    throw new IpamException(IpamErrorCode.NoQualifiedPool, $"no enabled {family} pool selecting node {host} selects the workload's namespace");
            }
        }

        var allowed = chosen.Where(p => p.AllowedUses.Contains(use)).ToList();
        if (allowed.Count == 0)
            throw new IpamException(IpamErrorCode.NoQualifiedPool,
                $"no qualifying {family} pool allows use {use} ({string.Join(", ", chosen.Select(p => p.Name))} do not)");
        return allowed;
    }
}
