using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Lab.Cluster;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Lab.Tests.Overlay;

/// <summary>What the overlay tests read from a lab: the VTEP device, routes through it, the pool's mode.</summary>
internal static class OverlayLab
{
    public const string Device = "vxlan.calico";

    public static Link? Vtep(ClusterHost host)
    {
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        return netlink.Links.Get(Device);
    }

    /// <summary>The host's own routes (protocol tabby) to the given block.</summary>
    public static Route? RouteTo(ClusterHost host, IpPrefix block)
    {
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        return netlink.Routes.List(RouteFilter.Tabby).FirstOrDefault(r => r.Destination == block);
    }

    /// <summary>True when the host's route to the block goes through its VTEP, onlink, to the other node's tunnel address.</summary>
    public static bool ThroughTunnel(ClusterHost host, IpPrefix block, IPAddress? tunnelAddress = null)
    {
        var vtep = Vtep(host);
        return vtep is not null && RouteTo(host, block) is { } route && route.InterfaceIndex == vtep.Index && route.OnLink
            && (tunnelAddress is null || Equals(route.Gateway, tunnelAddress));
    }

    /// <summary>True when the host's route to the block goes straight to the other host's underlay address.</summary>
    public static bool Direct(ClusterHost host, IpPrefix block, IPAddress via) =>
        RouteTo(host, block) is { } route && Equals(route.Gateway, via) && (Vtep(host) is not { } vtep || route.InterfaceIndex != vtep.Index);

    public static async Task SetPoolModeAsync(LabCluster lab, string? vxlanMode = null, string? ipipMode = null)
    {
        await using var store = lab.OpenDatastore();
        var resources = new ResourceClient(store);
        var pool = await resources.GetAsync<IPPool>("lab-pool") ?? throw new InvalidOperationException("the lab has no pool");
        if (vxlanMode is not null)
            pool.Spec.VxlanMode = vxlanMode;
        if (ipipMode is not null)
            pool.Spec.IpipMode = ipipMode;
        await resources.UpdateAsync(pool);
    }

    public static async Task<Api.Resources.Node> NodeAsync(LabCluster lab, string name)
    {
        await using var store = lab.OpenDatastore();
        return await new ResourceClient(store).GetAsync<Api.Resources.Node>(name) ?? throw new InvalidOperationException($"no node {name}");
    }
}
