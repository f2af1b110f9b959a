using System.Globalization;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Cli.Resources;

/// <summary>The table columns of each kind after NAME (and NAMESPACE): a few that identify it, more with <c>-o wide</c>.</summary>
public static class KindColumns
{
    public static IReadOnlyList<KindColumn> For(KindInfo kind, bool wide)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var columns = Columns(kind.Kind);
        // Every kind has labels, and selectors pick by them, so wide shows them last.
        if (wide)
            columns = [.. columns, new KindColumn("LABELS", r => Map(r.Metadata.Labels), WideOnly: true)];
        return [.. columns.Where(c => wide || !c.WideOnly)];
    }

    private static List<KindColumn> Columns(string kind) => kind switch
    {
        "IPPool" =>
        [
            Col<IPPool>("CIDR", r => r.Spec.Cidr),
            Col<IPPool>("BLOCKSIZE", r => Int(r.Spec.BlockSize)),
            Col<IPPool>("IPIPMODE", r => r.Spec.IpipMode),
            Col<IPPool>("VXLANMODE", r => r.Spec.VxlanMode),
            Col<IPPool>("NAT", r => Bool(r.Spec.NatOutgoing), wide: true),
            Col<IPPool>("DISABLED", r => Bool(r.Spec.Disabled), wide: true),
            Col<IPPool>("DISABLEBGPEXPORT", r => Bool(r.Spec.DisableBgpExport), wide: true),
            Col<IPPool>("SELECTOR", r => r.Spec.NodeSelector, wide: true),
            Col<IPPool>("ALLOWEDUSES", r => List(r.Spec.AllowedUses), wide: true),
            Col<IPPool>("ASSIGNMENTMODE", r => r.Spec.AssignmentMode, wide: true),
        ],
        "IPReservation" => [Col<IPReservation>("CIDRS", r => List(r.Spec.ReservedCidrs))],
        "IPAMConfiguration" =>
        [
            Col<IPAMConfiguration>("STRICTAFFINITY", r => Bool(r.Spec.StrictAffinity)),
            Col<IPAMConfiguration>("MAXBLOCKSPERHOST", r => Int(r.Spec.MaxBlocksPerHost)),
            Col<IPAMConfiguration>("AUTOALLOCATEBLOCKS", r => Bool(r.Spec.AutoAllocateBlocks), wide: true),
        ],
        "Node" =>
        [
            Col<Api.Resources.Node>("ASN", r => r.Spec.Bgp?.AsNumber?.ToString()),
            Col<Api.Resources.Node>("IPV4", r => r.Spec.Bgp?.Ipv4Address),
            Col<Api.Resources.Node>("IPV6", r => r.Spec.Bgp?.Ipv6Address),
            Col<Api.Resources.Node>("IPV4IPIPADDR", r => r.Spec.Bgp?.Ipv4IpipTunnelAddr, wide: true),
            Col<Api.Resources.Node>("VXLANADDR", r => r.Spec.Ipv4VxlanTunnelAddr, wide: true),
            Col<Api.Resources.Node>("RRCLUSTERID", r => r.Spec.Bgp?.RouteReflectorClusterId, wide: true),
        ],
        "WorkloadEndpoint" =>
        [
            Col<WorkloadEndpoint>("WORKLOAD", r => r.Spec.Workload ?? r.Spec.Pod),
            Col<WorkloadEndpoint>("NODE", r => r.Spec.Node),
            Col<WorkloadEndpoint>("NETWORKS", r => List(r.Spec.IpNetworks)),
            Col<WorkloadEndpoint>("INTERFACE", r => r.Spec.InterfaceName),
            Col<WorkloadEndpoint>("PROFILES", r => List(r.Spec.Profiles), wide: true),
            Col<WorkloadEndpoint>("MAC", r => r.Spec.Mac, wide: true),
        ],
        "HostEndpoint" =>
        [
            Col<HostEndpoint>("NODE", r => r.Spec.Node),
            Col<HostEndpoint>("INTERFACE", r => r.Spec.InterfaceName),
            Col<HostEndpoint>("EXPECTEDIPS", r => List(r.Spec.ExpectedIps)),
            Col<HostEndpoint>("PROFILES", r => List(r.Spec.Profiles), wide: true),
        ],
        "Profile" =>
        [
            Col<Profile>("INGRESS", r => Int(r.Spec.Ingress?.Count ?? 0), wide: true),
            Col<Profile>("EGRESS", r => Int(r.Spec.Egress?.Count ?? 0), wide: true),
            Col<Profile>("LABELSTOAPPLY", r => Map(r.Spec.LabelsToApply), wide: true),
        ],
        "NetworkPolicy" =>
        [
            Col<NetworkPolicy>("TIER", r => r.Spec.Tier),
            Col<NetworkPolicy>("ORDER", r => Number(r.Spec.Order)),
            Col<NetworkPolicy>("SELECTOR", r => r.Spec.Selector),
            Col<NetworkPolicy>("TYPES", r => List(r.Spec.Types), wide: true),
            Col<NetworkPolicy>("INGRESS", r => Int(r.Spec.Ingress?.Count ?? 0), wide: true),
            Col<NetworkPolicy>("EGRESS", r => Int(r.Spec.Egress?.Count ?? 0), wide: true),
        ],
        "GlobalNetworkPolicy" =>
        [
            Col<GlobalNetworkPolicy>("TIER", r => r.Spec.Tier),
            Col<GlobalNetworkPolicy>("ORDER", r => Number(r.Spec.Order)),
            Col<GlobalNetworkPolicy>("SELECTOR", r => r.Spec.Selector),
            Col<GlobalNetworkPolicy>("TYPES", r => List(r.Spec.Types), wide: true),
            Col<GlobalNetworkPolicy>("INGRESS", r => Int(r.Spec.Ingress?.Count ?? 0), wide: true),
            Col<GlobalNetworkPolicy>("EGRESS", r => Int(r.Spec.Egress?.Count ?? 0), wide: true),
            Col<GlobalNetworkPolicy>("PREDNAT", r => Bool(r.Spec.PreDnat), wide: true),
            Col<GlobalNetworkPolicy>("DONOTTRACK", r => Bool(r.Spec.DoNotTrack), wide: true),
            Col<GlobalNetworkPolicy>("APPLYONFORWARD", r => Bool(r.Spec.ApplyOnForward), wide: true),
        ],
        "Tier" =>
        [
            Col<Tier>("ORDER", r => Number(r.Spec.Order)),
            Col<Tier>("DEFAULTACTION", r => r.Spec.DefaultAction),
        ],
        "NetworkSet" => [Col<NetworkSet>("NETS", r => List(r.Spec.Nets))],
        "GlobalNetworkSet" => [Col<GlobalNetworkSet>("NETS", r => List(r.Spec.Nets))],
        "BGPConfiguration" =>
        [
            Col<BGPConfiguration>("LOGSEVERITY", r => r.Spec.LogSeverityScreen),
            Col<BGPConfiguration>("MESHENABLED", r => r.Spec.NodeToNodeMeshEnabled is { } b ? Bool(b) : null),
            Col<BGPConfiguration>("ASNUMBER", r => r.Spec.AsNumber?.ToString()),
            Col<BGPConfiguration>("LISTENPORT", r => r.Spec.ListenPort == 0 ? null : Int(r.Spec.ListenPort), wide: true),
            Col<BGPConfiguration>("CLUSTERIPS", r => List(r.Spec.ServiceClusterIps?.Select(c => c.Cidr)), wide: true),
            Col<BGPConfiguration>("EXTERNALIPS", r => List(r.Spec.ServiceExternalIps?.Select(c => c.Cidr)), wide: true),
            Col<BGPConfiguration>("LOADBALANCERIPS", r => List(r.Spec.ServiceLoadBalancerIps?.Select(c => c.Cidr)), wide: true),
        ],
        "BGPPeer" =>
        [
            Col<BGPPeer>("PEERIP", r => r.Spec.PeerIp),
            Col<BGPPeer>("NODE", r => r.Spec.Node ?? r.Spec.NodeSelector ?? "(global)"),
            Col<BGPPeer>("ASN", r => r.Spec.AsNumber?.ToString()),
            Col<BGPPeer>("PEERSELECTOR", r => r.Spec.PeerSelector, wide: true),
            Col<BGPPeer>("KEEPNEXTHOP", r => Bool(r.Spec.KeepOriginalNextHop), wide: true),
            Col<BGPPeer>("FILTERS", r => List(r.Spec.Filters), wide: true),
        ],
        "BGPFilter" =>
        [
            Col<BGPFilter>("EXPORTV4", r => Int(r.Spec.ExportV4?.Count ?? 0)),
            Col<BGPFilter>("IMPORTV4", r => Int(r.Spec.ImportV4?.Count ?? 0)),
            Col<BGPFilter>("EXPORTV6", r => Int(r.Spec.ExportV6?.Count ?? 0), wide: true),
            Col<BGPFilter>("IMPORTV6", r => Int(r.Spec.ImportV6?.Count ?? 0), wide: true),
        ],
        "ClusterInformation" =>
        [
            Col<ClusterInformation>("CALICOVERSION", r => r.Spec.CalicoVersion),
            Col<ClusterInformation>("DATASTOREREADY", r => r.Spec.DatastoreReady is { } b ? Bool(b) : null),
            Col<ClusterInformation>("CLUSTERTYPE", r => r.Spec.ClusterType, wide: true),
            Col<ClusterInformation>("CLUSTERGUID", r => r.Spec.ClusterGuid, wide: true),
        ],
        "IPAMBlock" =>
        [
            Col<IPAMBlock>("CIDR", r => r.Spec.Cidr),
            Col<IPAMBlock>("AFFINITY", r => r.Spec.Affinity),
        ],
        "BlockAffinity" =>
        [
            Col<BlockAffinity>("NODE", r => r.Spec.Node),
            Col<BlockAffinity>("CIDR", r => r.Spec.Cidr),
            Col<BlockAffinity>("STATE", r => r.Spec.State),
        ],
        "IPAMHandle" => [Col<IPAMHandle>("HANDLEID", r => r.Spec.HandleId)],
        _ => [],
    };

    private static KindColumn Col<T>(string header, Func<T, string?> value, bool wide = false)
        where T : class, IResource => new(header, r => r is T typed ? value(typed) : null, wide);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Number(double? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? List(IEnumerable<string?>? values) => values is null ? null : string.Join(",", values.Where(v => !string.IsNullOrEmpty(v)));

    private static string? Map(Dictionary<string, string>? map) =>
        map is null ? null : string.Join(",", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
