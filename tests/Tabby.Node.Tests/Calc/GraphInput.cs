using System.Text;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Syncer;
using Tabby.Ipam.Store;

namespace Tabby.Node.Tests.Calc;

/// <summary>Builds syncer updates as the datastore would deliver them.</summary>
internal static class GraphInput
{
    public static readonly string EndpointPrefix = ResourceKey.PrefixFor(KindRegistry.For<WorkloadEndpoint>());

    public static SyncerUpdate Endpoint(string name, string node, string iface, params string[] nets) => EndpointWithMac(name, node, iface, null, nets);

    public static SyncerUpdate EndpointWithMac(string name, string node, string iface, string? mac, params string[] nets)
    {
        var wep = new WorkloadEndpoint
        {
            Metadata = { Name = name, Namespace = "default" },
            Spec = new WorkloadEndpointSpec { Node = node, Orchestrator = "cni", Workload = name, Endpoint = "eth0", InterfaceName = iface, IpNetworks = [.. nets], Mac = mac },
        };
        var key = ResourceKey.For(wep).Path;
        return new SyncerUpdate(EndpointPrefix, key, ResourceCodec.Encode(wep), 1);
    }

    public static SyncerUpdate EndpointDeleted(string name) =>
        new(EndpointPrefix, ResourceKey.PathOf("workloadendpoints", "default", name), null, 1);

    public static SyncerUpdate Affinity(string node, string cidr, string? state) =>
        new(IpamKeys.HostPrefix, IpamKeys.Affinity(node, IpPrefix.Parse(cidr)),
            state is null ? null : Encoding.UTF8.GetBytes($$"""{"state":"{{state}}","deleted":false}"""), 1);

    public static SyncerUpdate Resource<T>(T resource)
        where T : Resource =>
        new(ResourceKey.PrefixFor(KindRegistry.For<T>()), ResourceKey.For(resource).Path, ResourceCodec.Encode(resource), 1);

    public static SyncerUpdate ResourceDeleted<T>(string name)
        where T : Resource =>
        new(ResourceKey.PrefixFor(KindRegistry.For<T>()), ResourceKey.PathOf(KindRegistry.For<T>().Plural, null, name), null, 1);
}
