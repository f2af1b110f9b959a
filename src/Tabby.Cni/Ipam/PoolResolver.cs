using Tabby.Api.Resources;
using Tabby.Cni.Protocol;
using Tabby.Core.Addressing;
using Tabby.Datastore.Resources;

namespace Tabby.Cni.Ipam;

/// <summary>Turns ipv4_pools/ipv6_pools entries (CIDRs or IPPool names, as Calico takes them) into pool CIDRs.</summary>
public static class PoolResolver
{
    public static async Task<List<string>> ResolveAsync(ResourceClient resources, IReadOnlyList<string> pools, bool ipv6, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(pools);
        var field = ipv6 ? "ipam.ipv6_pools" : "ipam.ipv4_pools";
        var resolved = new List<string>();
        List<IPPool>? all = null;
        foreach (var pool in pools)
        {
            IpPrefix cidr;
            if (!IpPrefix.TryParse(pool, out cidr))
            {
                all ??= (await resources.ListAsync<IPPool>(cancellationToken: cancellationToken).ConfigureAwait(false)).Items.ToList();
                var named = all.FirstOrDefault(p => p.Metadata.Name == pool);
                if (named?.Spec.Cidr is not { } text || !IpPrefix.TryParse(text, out cidr))
                    throw new CniException(CniErrorCode.InvalidConfig, $"{field}: \"{pool}\" is neither a CIDR nor the name of an IPPool");
            }
            if (cidr.IsIPv6 != ipv6)
                throw new CniException(CniErrorCode.InvalidConfig, $"{field}: \"{pool}\" ({cidr}) is not an {(ipv6 ? "IPv6" : "IPv4")} pool");
            resolved.Add(cidr.ToString());
        }
        return resolved;
    }
}
