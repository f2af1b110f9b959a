using System.Net;
using Tabby.Cni.Hosting;
using Tabby.Cni.Plugin;
using Tabby.Cni.Results;
using Tabby.Cni.Store;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;

namespace Tabby.Cni.Ipam;

/// <summary>tabby-ipam ADD: specific addresses by AssignIP, or one per family by AutoAssign, all owned by the handle &lt;network&gt;.&lt;containerID&gt;.</summary>
public static class IpamAddCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var identity = AttachmentRequest.Identity(context);
        var request = AddressRequest.From(context);
        var handle = identity.HandleId(conf.Name);
        var attributes = IpamAttributes.For(identity, conf.Name);

        await using var lease = DatastoreLease.Of(context.LentStore, conf.Datastore);
        var store = lease.Store;
        var ipam = new IpamClient(store);
        var ips = new List<ResultIp>();
        if (request.Specific.Count > 0)
        {
            var assigned = new List<IPAddress>();
            try
            {
                foreach (var address in request.Specific)
                {
                    await ipam.AssignIpAsync(new AssignIpRequest { Address = address.ToString(), Host = identity.Node, HandleId = handle, Attributes = attributes }, cancellationToken).ConfigureAwait(false);
                    assigned.Add(address);
                    ips.Add(new ResultIp(CidrAddress.HostOf(address)));
                }
            }
            catch
            {
                // All or nothing, like Calico's ipAddrs: the ones already taken go back.
                if (assigned.Count > 0)
                    await ipam.ReleaseIpsAsync([.. assigned.Select(a => new ReleaseRequest(a.ToString(), handle))], CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        else
        {
            var resources = new ResourceClient(store);
            var v4Pools = await PoolResolver.ResolveAsync(resources, conf.Ipam!.Ipv4Pools, ipv6: false, cancellationToken).ConfigureAwait(false);
            var v6Pools = await PoolResolver.ResolveAsync(resources, conf.Ipam.Ipv6Pools, ipv6: true, cancellationToken).ConfigureAwait(false);
            var result = await ipam.AutoAssignAsync(new AutoAssignRequest
            {
                Host = identity.Node,
                Num4 = request.Num4,
                Num6 = request.Num6,
                HandleId = handle,
                Attributes = attributes,
                IPv4Pools = v4Pools.Count > 0 ? v4Pools : null,
                IPv6Pools = v6Pools.Count > 0 ? v6Pools : null,
            }, cancellationToken).ConfigureAwait(false);
            // Calico's IPAM reports each address with its block's prefix length; the interface plugin makes it a /32.
            ips.AddRange(result.All.Select(a => new ResultIp(new CidrAddress(a.Address.Address, a.Block.Length))));
        }

        context.Log($"handle {handle}: {string.Join(", ", ips.Select(i => i.Address))}");
        context.Output(ResultWriter.ToJson(new CniResult { Ips = ips, Dns = conf.Dns }, context.Version));
    }
}
