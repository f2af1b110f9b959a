using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>What one request reads before it allocates: settings, pools, reservations and the node's labels.</summary>
internal sealed record IpamContext(IpamConfig Config, PoolSet Pools, ReservationSet Reservations, IReadOnlyDictionary<string, string>? NodeLabels)
{
    public static async Task<IpamContext> LoadAsync(IpamStore store, ResourceClient resources, string? host, CancellationToken cancellationToken)
    {
        var config = store.GetConfigAsync(cancellationToken);
        var pools = resources.ListAsync<IPPool>(cancellationToken: cancellationToken);
        var reservations = resources.ListAsync<IPReservation>(cancellationToken: cancellationToken);
        var node = host is null ? Task.FromResult<Node?>(null) : resources.GetAsync<Node>(host, cancellationToken: cancellationToken);
        await Task.WhenAll(config, pools, reservations, node).ConfigureAwait(false);
        return new IpamContext(
            (await config.ConfigureAwait(false))?.Value ?? IpamConfig.Default,
            PoolSet.From((await pools.ConfigureAwait(false)).Items),
            ReservationSet.From((await reservations.ConfigureAwait(false)).Items),
            (await node.ConfigureAwait(false))?.Metadata.Labels);
    }
}
