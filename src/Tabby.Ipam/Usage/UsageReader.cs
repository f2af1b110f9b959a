using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Usage;

/// <summary>Counts capacity, in-use, reserved and available addresses per pool and block (Calico's GetUtilization), at one revision.</summary>
public sealed class UsageReader(IDatastore datastore)
{
    private readonly IpamStore _store = new(datastore);
    private readonly ResourceClient _resources = new(datastore);

    public async Task<UsageReport> ReadAsync(CancellationToken cancellationToken = default)
    {
        var listing = await _store.ListBlocksAsync(null, 0, cancellationToken).ConfigureAwait(false);
        var poolsTask = _resources.ListAsync<IPPool>(null, listing.Revision, cancellationToken);
        var reservationsTask = _resources.ListAsync<IPReservation>(null, listing.Revision, cancellationToken);
        await Task.WhenAll(poolsTask, reservationsTask).ConfigureAwait(false);
        var pools = PoolSet.From((await poolsTask.ConfigureAwait(false)).Items);
        var reservations = ReservationSet.From((await reservationsTask.ConfigureAwait(false)).Items);

        var report = new UsageReport { Revision = listing.Revision };
        report.Problems.AddRange(pools.Problems);
        report.Problems.AddRange(listing.Problems);
        var usages = pools.All.Select(p => (Info: p, Usage: new PoolUsage { Name = p.Name, Cidr = p.Cidr.ToString(), Disabled = p.Disabled })).ToList();
        var blocksOf = usages.ToDictionary(u => u.Info, _ => new List<Block>());
        foreach (var block in listing.Blocks.OrderBy(b => b.Cidr))
        {
            var usage = Of(block, reservations);
            // A block belongs to the first pool it overlaps, as in Calico (a pool's blockSize may have changed since).
            var owner = usages.FirstOrDefault(u => u.Info.Cidr.IsIPv6 == block.Cidr.IsIPv6 && (u.Info.Cidr.Contains(block.Cidr) || block.Cidr.Contains(u.Info.Cidr)));
            if (owner.Usage is null)
            {
                report.OrphanedBlocks.Add(usage);
                continue;
            }

            owner.Usage.Blocks.Add(usage);
            blocksOf[owner.Info].Add(block);
        }

        foreach (var (info, usage) in usages)
        {
            usage.InUse = usage.Blocks.Sum(b => b.InUse);
            usage.Available = usage.Blocks.Sum(b => b.Available);
            var assignable = new AddressRangeSet(info.Cidr);
            foreach (var range in reservations.Ranges.Where(r => r.IsIPv6 == info.Cidr.IsIPv6))
                assignable.Remove(range);
            var assignableCount = assignable.Count;
            foreach (var block in blocksOf[info])
                assignable.Remove(block.Cidr);
            var size = Size(info.Cidr);
            usage.Capacity = Clamp(size);
            usage.Reserved = Clamp(size - assignableCount);
            usage.Available = Clamp((UInt128)usage.Available + assignable.Count);
            report.Pools.Add(usage);
        }

        return report;
    }

    private static BlockUsage Of(Block block, ReservationSet reservations) => new()
    {
        Cidr = block.Cidr.ToString(),
        Host = block.AffinityHost,
        Capacity = block.NumAddresses,
        InUse = block.NumAddresses - block.Data.Unallocated.Count,
        Reserved = block.NumReserved(reservations),
        Available = block.NumFree(reservations),
    };

    private static UInt128 Size(IpPrefix prefix)
    {
        var hostBits = prefix.MaxLength - prefix.Length;
        return hostBits >= 128 ? UInt128.MaxValue : UInt128.One << hostBits;
    }

    private static long Clamp(UInt128 n) => n > (UInt128)long.MaxValue ? long.MaxValue : (long)n;
}
