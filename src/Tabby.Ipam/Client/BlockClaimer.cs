using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>Claims blocks for hosts and gives them up again: Calico's two-step affinity protocol over compare-and-swap.</summary>
/// <remarks>
/// A claim first writes the affinity as <c>pending</c>, then creates the block and confirms the affinity
/// in one transaction. A crash between the two leaves a pending affinity without a block, which the next
/// claim by that host completes and <c>ipam check</c> reports. Readers treat pending affinities as absent.
/// Giving a block up marks the affinity <c>pendingDeletion</c>, then deletes (or un-affines) the block and
/// deletes the affinity together.
/// </remarks>
internal sealed class BlockClaimer(IpamStore store, IpamOptions options)
{
    private IDatastore Datastore => store.Datastore;

    /// <summary>The block an affinity refers to, creating it if the claim was never finished and confirming a pending affinity.</summary>
    /// <returns>The block, or null when the affinity no longer exists.</returns>
    /// <exception cref="ClaimLostException">The block belongs to someone else (the stale affinity is removed).</exception>
    /// <exception cref="CasConflictException">A concurrent writer won; re-read.</exception>
    public async Task<Block?> GetBlockFromAffinityAsync(string host, IpPrefix cidr, Stored<BlockAffinity>? affinity, CancellationToken cancellationToken)
    {
        affinity ??= await store.GetAffinityAsync(host, cidr, cancellationToken).ConfigureAwait(false);
        if (affinity is null)
            return null;
        var block = await store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
        if (block is null)
        {
            if (affinity.Value.State != AffinityState.Pending)
                affinity = await WriteStateAsync(affinity, AffinityState.Pending, cancellationToken).ConfigureAwait(false);
            return await ClaimAsync(host, cidr, affinity, cancellationToken).ConfigureAwait(false);
        }

        if (!block.IsAffineTo(host))
        {
            await DeleteGuardedAsync(affinity.Key, affinity.ModRevision, cancellationToken).ConfigureAwait(false);
            throw new ClaimLostException($"block {cidr} is affine to '{block.Data.Affinity}', not host:{host}; removed the stale affinity");
        }

        if (!AffinityState.IsConfirmed(affinity.Value.State))
        {
            // Rewrite the block with the confirmation, so anyone mid-way through an operation on the
            // old version of it (a release of the affinity, say) loses their compare-and-swap.
            block.BumpSequence();
            var confirmed = new BlockAffinity { State = AffinityState.Confirmed };
            var result = await Datastore.TxnAsync(new TxnRequest
            {
                If = [Compare.ModRevisionIs(IpamKeys.Block(cidr), block.ModRevision), Compare.ModRevisionIs(affinity.Key, affinity.ModRevision)],
                Then = [TxnOp.Put(IpamKeys.Block(cidr), block.Serialize()), TxnOp.Put(affinity.Key, IpamStore.Encode(confirmed))],
            }, cancellationToken).ConfigureAwait(false);
            CasRetry.EnsureSucceeded(result, $"confirming the affinity of {host} to {cidr}");
            return await store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
        }

        return block;
    }

    /// <summary>Writes a pending affinity for a block, or returns the one that exists (marked pending unless confirmed).</summary>
    public async Task<Stored<BlockAffinity>> GetPendingAffinityAsync(string host, IpPrefix cidr, CancellationToken cancellationToken)
    {
        var key = IpamKeys.Affinity(host, cidr);
        var value = IpamStore.Encode(new BlockAffinity { State = AffinityState.Pending });
        var created = await Datastore.TxnAsync(new TxnRequest
        {
            If = [Compare.Missing(key)],
            Then = [TxnOp.Put(key, value)],
            Else = [TxnOp.Get(key)],
        }, cancellationToken).ConfigureAwait(false);
        if (created.Succeeded)
            return new Stored<BlockAffinity>(key, new BlockAffinity { State = AffinityState.Pending }, created.Revision);

        var existing = await store.GetAffinityAsync(host, cidr, cancellationToken).ConfigureAwait(false)
            ?? throw new CasConflictException($"the affinity of {host} to {cidr} vanished while claiming it");
        if (AffinityState.IsConfirmed(existing.Value.State) || existing.Value.State == AffinityState.Pending)
            return existing;
        return await WriteStateAsync(existing, AffinityState.Pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A block this host can claim or use in one of <paramref name="pools"/>: one that does not exist yet, one of its own with
    /// room, or (failing those) another host's empty block old enough to take over. Null when there is none.</summary>
    public async Task<IpPrefix?> FindUsableBlockAsync(
        string host, IReadOnlyList<PoolInfo> pools, ReservationSet reservations, IpamConfig config, CancellationToken cancellationToken)
    {
        if (pools.Count == 0)
            return null;
        var listing = await store.ListBlocksAsync(pools[0].Cidr.IsIPv6, 0, cancellationToken).ConfigureAwait(false);
        var existing = listing.Blocks.ToDictionary(b => b.Cidr);
        var now = options.Time.GetUtcNow();
        var empty = new List<Block>();
        foreach (var pool in pools)
        {
            foreach (var cidr in BlockCandidates.For(pool, host))
            {
                if (reservations.MatchesWhole(cidr))
                    continue;
                if (!existing.TryGetValue(cidr, out var block))
                {
                    // A block the listing could not read is not free: never claim over it.
                    if (!listing.Problems.Any(p => p.StartsWith(IpamKeys.Block(cidr) + ":", StringComparison.Ordinal)))
                        return cidr;
                    continue;
                }

                block.CollectGarbage(config.IpCooldownSeconds, now);
                var free = block.NumFree(reservations);
                if (block.IsAffineTo(host) && free > 0)
                    return cidr;
                if (block.IsEmpty && free > 0)
                    empty.Add(block);
            }
        }

        // Small pools strand blocks on hosts that no longer need them; take over an empty one, but only
        // after it has been held a while, so two hosts cannot keep snatching a block from each other.
        foreach (var block in empty)
        {
            var claimed = IpamTime.Parse(block.Data.AffinityClaimTime) ?? DateTimeOffset.MinValue;
            if (now - claimed < options.EmptyBlockReclaimAge)
                continue;
            try
            {
                if (block.AffinityHost is { } owner)
                    await ReleaseAffinityAsync(owner, block.Cidr, requireEmpty: true, block.Data.SequenceNumber, cancellationToken).ConfigureAwait(false);
                else
                    await DeleteGuardedAsync(IpamKeys.Block(block.Cidr), block.ModRevision, cancellationToken).ConfigureAwait(false);
                return block.Cidr;
            }
            catch (Exception e) when (e is ClaimLostException or CasConflictException or IpamException)
            {
                // Someone used or took it meanwhile: try the next.
            }
        }

        return null;
    }

    /// <summary>Gives up a host's affinity to a block: the block is deleted when empty, else kept without an owner.</summary>
    /// <param name="requireEmpty">Refuse (ClaimLostException) when the block still holds addresses.</param>
    /// <param name="requiredSequence">Refuse when the block changed since the caller read it at this sequence number.</param>
    /// <returns>False when there was no such affinity.</returns>
    public Task<bool> ReleaseAffinityAsync(string host, IpPrefix cidr, bool requireEmpty, ulong? requiredSequence, CancellationToken cancellationToken) =>
        CasRetry.RunAsync(options, $"releasing {cidr} from {host}", async () =>
        {
            var affinity = await store.GetAffinityAsync(host, cidr, cancellationToken).ConfigureAwait(false);
            if (affinity is null)
                return false;
            var block = await store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                await DeleteGuardedAsync(affinity.Key, affinity.ModRevision, cancellationToken).ConfigureAwait(false);
                return true;
            }

            if (requiredSequence is { } seq && block.Data.SequenceNumber != seq)
                throw new ClaimLostException($"block {cidr} changed since it was read");
            if (block.Data.Affinity is not null && !block.IsAffineTo(host))
            {
                await DeleteGuardedAsync(affinity.Key, affinity.ModRevision, cancellationToken).ConfigureAwait(false);
                throw new ClaimLostException($"block {cidr} is affine to '{block.Data.Affinity}', not host:{host}; removed the stale affinity");
            }

            block.CollectGarbage(0, options.Time.GetUtcNow());
            var empty = block.IsEmpty;
            if (requireEmpty && !empty)
                throw new ClaimLostException($"block {cidr} is not empty");

            if (affinity.Value.State != AffinityState.PendingDeletion)
                affinity = await WriteStateAsync(affinity, AffinityState.PendingDeletion, cancellationToken).ConfigureAwait(false);

            var blockKey = IpamKeys.Block(cidr);
            TxnOp blockOp;
            if (empty)
            {
                blockOp = TxnOp.Delete(blockKey);
            }
            else
            {
                block.Data.Affinity = null;
                block.Data.AffinityClaimTime = null;
                block.BumpSequence();
                blockOp = TxnOp.Put(blockKey, block.Serialize());
            }

            var result = await Datastore.TxnAsync(new TxnRequest
            {
                If = [Compare.ModRevisionIs(blockKey, block.ModRevision), Compare.ModRevisionIs(affinity.Key, affinity.ModRevision)],
                Then = [blockOp, TxnOp.Delete(affinity.Key)],
            }, cancellationToken).ConfigureAwait(false);
            CasRetry.EnsureSucceeded(result, $"releasing {cidr} from {host}");
            return true;
        }, cancellationToken);

    /// <summary>Deletes a key only if it is still at the revision read.</summary>
    public async Task DeleteGuardedAsync(string key, long modRevision, CancellationToken cancellationToken)
    {
        var result = await Datastore.TxnAsync(new TxnRequest
        {
            If = [Compare.ModRevisionIs(key, modRevision)],
            Then = [TxnOp.Delete(key)],
        }, cancellationToken).ConfigureAwait(false);
        CasRetry.EnsureSucceeded(result, $"deleting {key}");
    }

    private async Task<Block> ClaimAsync(string host, IpPrefix cidr, Stored<BlockAffinity> pending, CancellationToken cancellationToken)
    {
        var block = Block.New(cidr, host, options.Time.GetUtcNow());
        var blockKey = IpamKeys.Block(cidr);
        var bytes = block.Serialize();
        var result = await Datastore.TxnAsync(new TxnRequest
        {
            If = [Compare.Missing(blockKey), Compare.ModRevisionIs(pending.Key, pending.ModRevision)],
            Then = [TxnOp.Put(blockKey, bytes), TxnOp.Put(pending.Key, IpamStore.Encode(new BlockAffinity { State = AffinityState.Confirmed }))],
            Else = [TxnOp.Get(blockKey)],
        }, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
            return Block.Parse(blockKey, bytes, result.Revision);

        if (result.Results[0] is not { } existing)
            throw new CasConflictException($"the pending affinity of {host} to {cidr} changed while claiming");
        var other = Block.Parse(blockKey, existing.Value, existing.ModRevision);
        if (other.IsAffineTo(host))
        {
            // Another process on this host created it first; it is ours all the same.
            var current = await store.GetAffinityAsync(host, cidr, cancellationToken).ConfigureAwait(false);
            if (current is not null && !AffinityState.IsConfirmed(current.Value.State))
                await WriteStateAsync(current, AffinityState.Confirmed, cancellationToken).ConfigureAwait(false);
            return other;
        }

        await DeleteGuardedAsync(pending.Key, pending.ModRevision, cancellationToken).ConfigureAwait(false);
        throw new ClaimLostException($"block {cidr} was claimed by '{other.Data.Affinity}' first");
    }

    private async Task<Stored<BlockAffinity>> WriteStateAsync(Stored<BlockAffinity> affinity, string state, CancellationToken cancellationToken)
    {
        var value = new BlockAffinity { State = state };
        var result = await Datastore.TxnAsync(new TxnRequest
        {
            If = [Compare.ModRevisionIs(affinity.Key, affinity.ModRevision)],
            Then = [TxnOp.Put(affinity.Key, IpamStore.Encode(value))],
        }, cancellationToken).ConfigureAwait(false);
        CasRetry.EnsureSucceeded(result, $"marking {affinity.Key} {state}");
        return new Stored<BlockAffinity>(affinity.Key, value, result.Revision);
    }
}
