using System.Globalization;
using System.Security.Cryptography;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;

namespace Tabby.Node.Startup;

/// <summary>Gives this node a VXLAN tunnel address from a VXLAN pool, or takes it back, and records it on the Node
/// as calico/node does (spec.ipv4VXLANTunnelAddr, spec.vxlanTunnelMACAddr).</summary>
/// <remarks>
/// calico/node's allocateip: the address is allocated with handle <c>vxlan-tunnel-addr-&lt;node&gt;</c> and attribute
/// type vxlanTunnelAddress; an address outside every VXLAN pool (the pool changed) is given back and a new one taken;
/// with no VXLAN pool left the address and MAC are removed. The MAC, once chosen, stays across re-allocations.
/// </remarks>
public sealed class TunnelAddressAllocator(ResourceClient resources, IpamClient ipam, string nodeName)
{
    public const string AttributeType = "vxlanTunnelAddress";

    public string HandleId => "vxlan-tunnel-addr-" + nodeName;

    /// <summary>Makes the Node's tunnel address match the pools; returns what changed (null when nothing did).</summary>
    public async Task<string?> ReconcileAsync(CancellationToken cancellationToken)
    {
        var pools = (await resources.ListAsync<IPPool>(cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Where(p => !p.Spec.Disabled && p.Spec.VxlanMode is "Always" or "CrossSubnet")
            .Select(p => IpPrefix.TryParse(p.Spec.Cidr.AsSpan(), out var cidr, out _) ? cidr : (IpPrefix?)null)
            .OfType<IpPrefix>().Where(c => !c.IsIPv6).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var node = await resources.GetAsync<Api.Resources.Node>(nodeName, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"node {nodeName} is not registered");
            var current = System.Net.IPAddress.TryParse(node.Spec.Ipv4VxlanTunnelAddr, out var parsed) ? parsed : null;
            string change;
            if (pools.Count == 0)
            {
                if (current is null && node.Spec.VxlanTunnelMacAddr is null)
                    return null;
                await ipam.ReleaseByHandleAsync(HandleId, cancellationToken).ConfigureAwait(false);
                node.Spec.Ipv4VxlanTunnelAddr = null;
                node.Spec.VxlanTunnelMacAddr = null;
                change = $"released VXLAN tunnel address {current} (no VXLAN pool)";
            }
            else
            {
                var held = await ipam.IpsByHandleAsync(HandleId, cancellationToken).ConfigureAwait(false);
                var mac = node.Spec.VxlanTunnelMacAddr is { Length: > 0 } existing ? existing : NewMac();
                if (current is not null && pools.Any(p => p.Contains(current)) && held.Any(h => h.Address.Equals(current)))
                {
                    if (node.Spec.VxlanTunnelMacAddr == mac)
                        return null;
                    change = $"VXLAN tunnel MAC {mac}";
                }
                else
                {
                    if (held.Count > 0)
                        await ipam.ReleaseByHandleAsync(HandleId, cancellationToken).ConfigureAwait(false);
                    var assigned = await ipam.AutoAssignAsync(new AutoAssignRequest
                    {
                        Host = nodeName,
                        Num4 = 1,
                        HandleId = HandleId,
                        IPv4Pools = [.. pools.Select(p => p.ToString())],
                        Use = IntendedUse.Tunnel,
                        Attributes = new Dictionary<string, string> { ["node"] = nodeName, ["type"] = AttributeType },
                    }, cancellationToken).ConfigureAwait(false);
                    if (assigned.IPv4.Count == 0)
                        throw new InvalidOperationException($"no address left in the VXLAN pools {string.Join(", ", pools)} for {nodeName}'s tunnel");
                    node.Spec.Ipv4VxlanTunnelAddr = assigned.IPv4[0].Address.Address.ToString();
                    change = $"VXLAN tunnel address {node.Spec.Ipv4VxlanTunnelAddr} (was {current?.ToString() ?? "none"}), MAC {mac}";
                }

                node.Spec.VxlanTunnelMacAddr = mac;
            }

            try
            {
                await resources.UpdateAsync(node, cancellationToken).ConfigureAwait(false);
                return change;
            }
            catch (DatastoreConflictException) when (attempt < 10)
            {
                // The node was written meanwhile: read it again. An address allocated in this round is found by its handle.
            }
        }
    }

    private static string NewMac()
    {
        Span<byte> bytes = stackalloc byte[6];
        RandomNumberGenerator.Fill(bytes);
        // Unicast, locally administered.
        bytes[0] = (byte)((bytes[0] & 0xFE) | 0x02);
        return string.Join(":", bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }
}
