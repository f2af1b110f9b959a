using Tabby.Core.Addressing;
using Tabby.Ipam.Client;
using Tabby.Ipam.Model;

namespace Tabby.Ipam.Gc;

/// <summary>Gives up a host's blocks once they have stayed empty for a grace period (the agent runs it on a timer).</summary>
/// <remarks>
/// A block counts as "still empty" only while its sequence number is unchanged: any allocation, even one
/// released again, restarts the clock. The release itself is guarded on that sequence number, so a block
/// that gets an address between the check and the release is kept.
/// </remarks>
public sealed class EmptyBlockReaper(IpamClient ipam, string host, TimeSpan grace, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<IpPrefix, (ulong Sequence, DateTimeOffset Since)> _empty = [];

    /// <summary>Looks at every block of the host once; returns the blocks released in this sweep.</summary>
    public async Task<IReadOnlyList<IpPrefix>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var config = await ipam.GetConfigAsync(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<IpPrefix>();
        var released = new List<IpPrefix>();
        foreach (var isV6 in new[] { false, true })
        {
            foreach (var (cidr, affinity) in await ipam.Store.ListAffinitiesAsync(host, isV6, cancellationToken).ConfigureAwait(false))
            {
                if (!AffinityState.IsConfirmed(affinity.Value.State))
                    continue;
                var block = await ipam.Store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
                if (block is null || !block.IsAffineTo(host))
                    continue;
                block.CollectGarbage(config.IpCooldownSeconds, now);
                if (!block.IsEmpty)
                    continue;
                seen.Add(cidr);
                var sequence = block.Data.SequenceNumber;
                if (!_empty.TryGetValue(cidr, out var mark) || mark.Sequence != sequence)
                {
                    _empty[cidr] = (sequence, now);
                    continue;
                }

                if (now - mark.Since >= grace && await ipam.ReleaseEmptyBlockAsync(host, cidr, sequence, cancellationToken).ConfigureAwait(false))
                {
                    released.Add(cidr);
                    seen.Remove(cidr);
                }
            }
        }

        foreach (var cidr in _empty.Keys.Where(c => !seen.Contains(c)).ToList())
            _empty.Remove(cidr);
        return released;
    }
}
