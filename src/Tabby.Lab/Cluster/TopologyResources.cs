using System.Net;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Lab.Topology;

namespace Tabby.Lab.Cluster;

/// <summary>The Calico resources that make a topology: nodes with labels, AS numbers and reflector cluster IDs written
/// before the agents start (they keep what they do not own), BGPConfiguration and BGPPeers.</summary>
internal static class TopologyResources
{
    /// <summary>The AS of rack r's top-of-rack router.</summary>
    public static uint RackAs(int rack) => 65000u + (uint)rack;

    public const uint SpineAs = 65100;

    /// <summary>The AS every host shares when it has none of its own (Calico's default).</summary>
    public const uint HostAs = 64512;

    /// <summary>A host's own AS in the as-per-server design (4-octet private range).</summary>
    public static uint ServerAs(int hostIndex) => 4_200_000_000u + (uint)hostIndex;

    public static async Task WriteAsync(ResourceClient resources, ClusterSpec spec, IReadOnlyList<LabHost> hosts, TorFabric? fabric, CancellationToken cancellationToken)
    {
        switch (spec.Topology)
        {
            case ClusterTopology.Mesh:
                return;
            case ClusterTopology.Reflector:
                await DisableMeshAsync(resources, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < hosts.Count; i++)
                {
                    var reflector = i < 2;
                    await NodeAsync(resources, hosts[i].Name, reflector ? new() { ["route-reflector"] = "true" } : null, null, reflector ? "224.0.0.1" : null, cancellationToken).ConfigureAwait(false);
                }

                await resources.CreateAsync(new BGPPeer
                {
                    Metadata = { Name = "peer-with-route-reflectors" },
                    Spec = new BGPPeerSpec { NodeSelector = "all()", PeerSelector = "route-reflector == 'true'" },
                }, cancellationToken).ConfigureAwait(false);
                return;
            case ClusterTopology.Tor:
                await DisableMeshAsync(resources, cancellationToken).ConfigureAwait(false);
                foreach (var rack in fabric!.Racks)
                {
                    foreach (var host in rack.Hosts)
                    {
                        uint? asn = spec.Design switch
                        {
                            TorDesign.AsPerRack => RackAs(rack.Index),
                            TorDesign.AsPerServer => ServerAs(hosts.ToList().IndexOf(host)),
                            _ => null,
                        };
                        await NodeAsync(resources, host.Name, new() { ["rack"] = $"r{rack.Index}" }, asn, null, cancellationToken).ConfigureAwait(false);
                    }

                    await resources.CreateAsync(new BGPPeer
                    {
                        Metadata = { Name = $"rack{rack.Index}-tor" },
                        Spec = new BGPPeerSpec { NodeSelector = $"rack == 'r{rack.Index}'", PeerIp = rack.Gateway.ToString(), AsNumber = new AsNumber(RackAs(rack.Index)) },
                    }, cancellationToken).ConfigureAwait(false);
                }

                return;
        }
    }

    private static Task DisableMeshAsync(ResourceClient resources, CancellationToken cancellationToken) =>
        resources.CreateAsync(new BGPConfiguration
        {
            Metadata = { Name = "default" },
            Spec = new BGPConfigurationSpec { NodeToNodeMeshEnabled = false, AsNumber = new AsNumber(HostAs) },
        }, cancellationToken);

    private static Task NodeAsync(ResourceClient resources, string name, Dictionary<string, string>? labels, uint? asn, string? clusterId, CancellationToken cancellationToken) =>
        resources.CreateAsync(new Api.Resources.Node
        {
            Metadata = { Name = name, Labels = labels },
            Spec = new NodeSpec
            {
                Bgp = new NodeBgpSpec { AsNumber = asn is { } a ? new AsNumber(a) : null, RouteReflectorClusterId = clusterId },
            },
        }, cancellationToken);
}
