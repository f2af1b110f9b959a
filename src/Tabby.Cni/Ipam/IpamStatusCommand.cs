using Tabby.Api.Resources;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Store;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;

namespace Tabby.Cni.Ipam;

/// <summary>tabby-ipam STATUS: the datastore answers and an enabled pool exists for each family it is asked to assign.</summary>
public static class IpamStatusCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        await DatastoreProbe.EnsureReachableAsync(conf.Datastore, cancellationToken).ConfigureAwait(false);
        await using var store = DatastoreOpener.Open(conf.Datastore, quick: true);
        var resources = new ResourceClient(store);
        var enabled = (await resources.ListAsync<IPPool>(cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Where(p => !p.Spec.Disabled && p.Spec.Cidr is not null && IpPrefix.TryParse(p.Spec.Cidr, out _))
            .ToList();
        var ipam = conf.Ipam;
        foreach (var (wanted, ipv6, named) in new[] { (ipam?.AssignIpv4 ?? true, false, ipam?.Ipv4Pools), (ipam?.AssignIpv6 ?? false, true, ipam?.Ipv6Pools) })
        {
            if (!wanted)
                continue;
            var family = ipv6 ? "IPv6" : "IPv4";
            var candidates = enabled.Where(p => IpPrefix.Parse(p.Spec.Cidr!).IsIPv6 == ipv6).ToList();
            if (named is { Count: > 0 })
                candidates = candidates.Where(p => named.Contains(p.Metadata.Name!) || named.Any(n => IpPrefix.TryParse(n, out var c) && c == IpPrefix.Parse(p.Spec.Cidr!))).ToList();
            if (candidates.Count == 0)
                throw new CniException(CniErrorCode.NotAvailable, $"no enabled {family} IP pool{(named is { Count: > 0 } ? $" among [{string.Join(", ", named)}]" : "")}",
                    "ADD cannot assign an address until one exists (the agent creates the default pool)");
        }
    }
}
