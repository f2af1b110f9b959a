using System.Diagnostics.CodeAnalysis;
using Tabby.Api.Resources;

namespace Tabby.Api.Kinds;

/// <summary>Every kind Tabby reads, with lookups by kind, list kind, plural, short name and model type.</summary>
public static class KindRegistry
{
    private static readonly Dictionary<string, KindInfo> s_byName = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Dictionary<Type, KindInfo> s_byType = [];

    static KindRegistry()
    {
        All =
        [
            new("IPPool", "ippools", false, typeof(IPPool), ["ippool", "pool", "pools"]),
            new("IPReservation", "ipreservations", false, typeof(IPReservation), ["ipreservation"]),
            new("IPAMConfiguration", "ipamconfigurations", false, typeof(IPAMConfiguration), ["ipamconfig", "ipamconfigs"]),
            new("Node", "nodes", false, typeof(Node), ["node", "no"]),
            new("WorkloadEndpoint", "workloadendpoints", true, typeof(WorkloadEndpoint), ["workloadendpoint", "wep", "weps"]),
            new("HostEndpoint", "hostendpoints", false, typeof(HostEndpoint), ["hostendpoint", "hep", "heps"]),
            new("Profile", "profiles", false, typeof(Profile), ["profile", "pro", "pros"]),
            new("NetworkPolicy", "networkpolicies", true, typeof(NetworkPolicy), ["networkpolicy", "np", "policy", "policies"]),
            new("GlobalNetworkPolicy", "globalnetworkpolicies", false, typeof(GlobalNetworkPolicy), ["globalnetworkpolicy", "gnp", "gnps"]),
            new("Tier", "tiers", false, typeof(Tier), ["tier"]),
            new("NetworkSet", "networksets", true, typeof(NetworkSet), ["networkset", "netset", "netsets"]),
            new("GlobalNetworkSet", "globalnetworksets", false, typeof(GlobalNetworkSet), ["globalnetworkset", "gns"]),
            new("BGPConfiguration", "bgpconfigurations", false, typeof(BGPConfiguration), ["bgpconfiguration", "bgpconfig", "bgpconfigs"]),
            new("BGPPeer", "bgppeers", false, typeof(BGPPeer), ["bgppeer", "peer", "peers"]),
            new("BGPFilter", "bgpfilters", false, typeof(BGPFilter), ["bgpfilter"]),
            new("FelixConfiguration", "felixconfigurations", false, typeof(FelixConfiguration), ["felixconfiguration", "felixconfig", "felixconfigs"]),
            new("ClusterInformation", "clusterinformations", false, typeof(ClusterInformation), ["clusterinformation", "clusterinfo", "clusterinfos"]),
            new("IPAMBlock", "ipamblocks", false, typeof(IPAMBlock), ["ipamblock"]),
            new("BlockAffinity", "blockaffinities", false, typeof(BlockAffinity), ["blockaffinity"]),
            new("IPAMHandle", "ipamhandles", false, typeof(IPAMHandle), ["ipamhandle"]),
        ];
        foreach (var info in All)
        {
            s_byType.Add(info.ClrType, info);
            s_byName.TryAdd(info.Kind, info);
            s_byName.TryAdd(info.Plural, info);
            foreach (var shortName in info.ShortNames)
                s_byName.TryAdd(shortName, info);
        }
    }

    /// <summary>All kinds, in the order above (roughly: IPAM, endpoints, policy, BGP, configuration, IPAM state).</summary>
    public static IReadOnlyList<KindInfo> All { get; }

    /// <summary>Finds a kind by its exact (case-sensitive) manifest name, as the reader must.</summary>
    public static bool TryGetByKind(string kind, [NotNullWhen(true)] out KindInfo? info)
    {
        ArgumentNullException.ThrowIfNull(kind);
        info = s_byName.TryGetValue(kind, out var found) && found.Kind == kind ? found : null;
        return info is not null;
    }

    /// <summary>Finds a kind by any name a person might type: kind, plural or short name, any case.</summary>
    public static bool TryResolve(string name, [NotNullWhen(true)] out KindInfo? info)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_byName.TryGetValue(name, out info);
    }

    public static KindInfo For(Type type) =>
        s_byType.TryGetValue(type, out var info) ? info : throw new ArgumentException($"{type} is not a registered resource type.", nameof(type));

    public static KindInfo For<T>()
        where T : Resource => For(typeof(T));

    public static KindInfo For(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return For(resource.GetType());
    }
}
