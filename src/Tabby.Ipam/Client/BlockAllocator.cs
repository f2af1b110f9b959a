using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>Hands out addresses for one host: its own blocks first, then new blocks up to the limit, then (unless strict) borrowed ones.</summary>
internal sealed class BlockAllocator(IpamStore store, BlockClaimer claimer, ContextCache contexts, IpamOptions options)
{
    /// <summary>Assigns <paramref name="count"/> addresses of one family, or throws having assigned none.</summary>
    public async Task<List<AssignedAddress>> AssignAsync(
        IpamContext context, AutoAssignRequest request, bool isV6, int count, CancellationToken cancellationToken)
    {
        var host = request.Host;
        var pools = context.Pools.Select(isV6, isV6 ? request.IPv6Pools : request.IPv4Pools, host, context.NodeLabels, request.NamespaceLabels, request.Use);
        var affinities = context.AffinitiesOf(isV6);
        // Housekeeping on pools and labels as they are now: left to requests that read them afresh.
        var given = context.Settled ? [] : await ReleaseBlocksOfPoolsNoLongerSelectingAsync(context, host, isV6, affinities, cancellationToken).ConfigureAwait(false);
        var affine = affinities.Where(a => !given.Contains(a.Cidr) && pools.Any(p => p.Cidr.Contains(a.Cidr))).ToList();
        // Read the handle while the blocks are read; the commit's guard catches it changing meanwhile.
        var handle = new HandlePrefetch(request.HandleId is null ? null : store.GetHandleAsync(request.HandleId, cancellationToken));

        var maxBlocks = context.Config.EffectiveMaxBlocksPerHost;
        if (request.MaxBlocksPerHost > 0)
            maxBlocks = Math.Min(maxBlocks, request.MaxBlocksPerHost);
        var owned = affine.Count;
        var queue = new Queue<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)>(affine);
        var assigned = new List<AssignedAddress>();
        var limitReached = false;
        try
        {
            while (assigned.Count < count)
            {
                var (block, newlyClaimed, limited) = await FindOrClaimAsync(context, host, pools, queue, owned < maxBlocks, cancellationToken).ConfigureAwait(false);
                limitReached |= limited;
                if (block is null)
                    break;
                if (newlyClaimed)
                    owned++;
                assigned.AddRange(await AssignFromBlockAsync(context, block.Cidr, block, host, count - assigned.Count, request, mustBeAffine: true, handle, cancellationToken).ConfigureAwait(false));
            }

            if (assigned.Count < count && !context.Config.StrictAffinity)
            {
                RequireFresh(context, "borrowing");
                await BorrowAsync(context, host, pools, request, count, assigned, handle, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await ReleaseQuietlyAsync(context, request.HandleId, assigned).ConfigureAwait(false);
            throw;
        }

        if (assigned.Count < count)
        {
            await ReleaseQuietlyAsync(context, request.HandleId, assigned).ConfigureAwait(false);
            var family = isV6 ? "IPv6" : "IPv4";
            var pools_ = string.Join(", ", pools.Select(p => $"{p.Name} ({p.Cidr})"));
            if (context.Config.StrictAffinity && limitReached)
                throw new IpamException(IpamErrorCode.BlockLimit,
                    $"host {host} has its limit of {maxBlocks} blocks, they are full, and strict affinity forbids borrowing (pools: {pools_})");
            throw new IpamException(IpamErrorCode.Exhausted,
                $"no free {family} address for host {host} in {pools_}" + (context.Config.StrictAffinity ? " (strict affinity: only this host's blocks may be used)" : ""));
        }

        return assigned;
    }

    /// <summary>Assigns one specific address, claiming its block for the host if nobody has it yet.</summary>
    public async Task<AssignedAddress> AssignAddressAsync(IpamContext context, AssignIpRequest request, CancellationToken cancellationToken)
    {
        if (!IpamAddress.TryParse(request.Address, out var address, out var error))
            throw new IpamException(IpamErrorCode.InvalidRequest, error);
        var pool = context.Pools.EnabledContaining(address);
        if (pool is null)
        {
            var disabled = context.Pools.Containing(address);
            throw new IpamException(IpamErrorCode.NotInPool, disabled is null
                ? $"{address.Address} is not in any IP pool"
                : $"{address.Address} is in IP pool {disabled.Name}, which is disabled");
        }

        if (!pool.AllowedUses.Contains(request.Use))
            throw new IpamException(IpamErrorCode.NoQualifiedPool, $"{address.Address} is in IP pool {pool.Name}, which does not allow use {request.Use}");
        if (context.Reservations.MatchesAddress(address))
            throw new IpamException(IpamErrorCode.Reserved, $"{address.Address} is reserved by an IPReservation");

        return await CasRetry.RunAsync(options, $"assigning {address.Address}", async () =>
        {
            var block = await FindBlockAsync(context, address, cancellationToken).ConfigureAwait(false);
            if (block is null)
            {
                RequireFresh(context, "claiming a block");
                var cidr = IpamAddress.BlockOf(address, pool.BlockSize);
                var pending = await claimer.GetPendingAffinityAsync(request.Host, cidr, cancellationToken).ConfigureAwait(false);
                try
                {
                    block = await claimer.GetBlockFromAffinityAsync(request.Host, cidr, pending, cancellationToken).ConfigureAwait(false);
                }
                catch (ClaimLostException e)
                {
                    // Another host created the block first: read it again and take the address from it.
                    throw new CasConflictException(e.Message, e);
                }

                if (block is null)
                    throw new CasConflictException($"the block of {address.Address} vanished while claiming it");
            }

            if (context.Config.StrictAffinity && !block.IsAffineTo(request.Host))
                throw new IpamException(IpamErrorCode.StrictAffinity,
                    $"{address.Address} is in block {block.Cidr}, affine to '{block.Data.Affinity ?? "nobody"}', and strict affinity keeps host {request.Host} out of it");

            var now = options.Time.GetUtcNow();
            block.CollectGarbage(context.Config.IpCooldownSeconds, now);
            var ordinal = block.OrdinalOf(address);
            block.Assign(ordinal, request.HandleId, request.Attributes);
            var sequence = block.SequenceFor(ordinal);
            await CommitAsync(context, block, request.HandleId, 1, null, cancellationToken).ConfigureAwait(false);
            return new AssignedAddress(address, block.Cidr, sequence, !block.IsAffineTo(request.Host));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims, borrowing and the limits that stop them are decided on settings, pools and labels read afresh, never on
    /// an earlier read's: a claim is not guarded by them the way an allocation's commit is.</summary>
    private static void RequireFresh(IpamContext context, string what)
    {
        if (context.Settled)
            throw new ContextChangedException($"{what} needs the settings, pools and node labels read afresh");
    }

    /// <summary>The stored block holding an address: at its pool's block size first, then at any size a block can have.</summary>
    public async Task<Block?> FindBlockAsync(IpamContext context, IpPrefix address, CancellationToken cancellationToken)
    {
        var sizes = new List<int>();
        if (context.Pools.Containing(address) is { } pool)
            sizes.Add(pool.BlockSize);
        // A pool's blockSize can change after blocks were made; existing blocks keep theirs (Calico allows 20-32 and 116-128).
        var max = address.MaxLength;
        for (var size = max - 12; size <= max; size++)
        {
            if (!sizes.Contains(size))
                sizes.Add(size);
        }

        foreach (var size in sizes)
        {
            if (await store.GetBlockAsync(IpamAddress.BlockOf(address, size), cancellationToken).ConfigureAwait(false) is { } block)
                return block;
        }

        return null;
    }

    private async Task<(Block? Block, bool NewlyClaimed, bool LimitReached)> FindOrClaimAsync(
        IpamContext context, string host, IReadOnlyList<PoolInfo> pools, Queue<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> affine, bool allowNewClaim, CancellationToken cancellationToken)
    {
        while (affine.TryDequeue(out var next))
        {
            var cidr = next.Cidr;
            if (context.Reservations.MatchesWhole(cidr))
                continue;
            // A confirmed affinity to a block known as stored now, and affine to this host: what the claimer would find.
            var block = AffinityState.IsConfirmed(next.Affinity.Value.State) && contexts.KnownBlock(context, cidr) is { } cached && cached.IsAffineTo(host) ? cached : null;
            if (block is null)
            {
                try
                {
                    // The affinity as the context read it, the first time; a retry reads it again.
                    Stored<BlockAffinity>? known = next.Affinity;
                    block = await CasRetry.RunAsync(options, $"loading block {cidr}", () =>
                    {
                        var affinity = known;
                        known = null;
                        return claimer.GetBlockFromAffinityAsync(host, cidr, affinity, cancellationToken);
                    }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ClaimLostException or IpamException { Code: IpamErrorCode.Corrupt })
                {
                    continue;
                }

                if (block is null)
                    continue;
                contexts.ReadBlock(context, block);
            }

            block.CollectGarbage(context.Config.IpCooldownSeconds, options.Time.GetUtcNow());
            if (block.NumFree(context.Reservations) > 0)
                return (block, false, false);
        }

        RequireFresh(context, "claiming a block");
        if (!allowNewClaim)
            return (null, false, true);
        if (!context.Config.AutoAllocateBlocks)
            return (null, false, false);

        return await CasRetry.RunAsync<(Block?, bool, bool)>(options, $"claiming a block for {host}", async () =>
        {
            var subnet = await claimer.FindUsableBlockAsync(host, pools, context.Reservations, context.Config, cancellationToken).ConfigureAwait(false);
            if (subnet is not { } cidr)
                return (null, false, false);
            var pending = await claimer.GetPendingAffinityAsync(host, cidr, cancellationToken).ConfigureAwait(false);
            Block? block;
            try
            {
                block = await claimer.GetBlockFromAffinityAsync(host, cidr, pending, cancellationToken).ConfigureAwait(false);
            }
            catch (ClaimLostException e)
            {
                throw new CasConflictException(e.Message, e);
            }

            if (block is null || block.NumFree(context.Reservations) == 0)
                throw new CasConflictException($"block {cidr} filled up while claiming it");
            return (block, true, false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task BorrowAsync(
        IpamContext context, string host, IReadOnlyList<PoolInfo> pools, AutoAssignRequest request, int count, List<AssignedAddress> assigned, HandlePrefetch handle,
        CancellationToken cancellationToken)
    {
        var listing = await store.ListBlocksAsync(pools[0].Cidr.IsIPv6, 0, cancellationToken).ConfigureAwait(false);
        var byCidr = listing.Blocks.ToDictionary(b => b.Cidr);
        var now = options.Time.GetUtcNow();
        foreach (var pool in pools)
        {
            // Walk existing blocks in this host's own order, so hosts borrowing at once spread out.
            var candidates = byCidr.Count < 4096
                ? byCidr.Values.Where(b => pool.Cidr.Contains(b.Cidr)).OrderBy(b => BlockCandidates.Fnv32(host + b.Cidr)).Select(b => b.Cidr)
                : BlockCandidates.For(pool, host).Where(byCidr.ContainsKey);
            foreach (var cidr in candidates)
            {
                if (assigned.Count >= count)
                    return;
                var block = byCidr[cidr];
                block.CollectGarbage(context.Config.IpCooldownSeconds, now);
                if (block.IsAffineTo(host) || block.NumFree(context.Reservations) == 0)
                    continue;
                assigned.AddRange(await AssignFromBlockAsync(context, cidr, block, host, count - assigned.Count, request, mustBeAffine: false, handle, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    /// <summary>Takes up to <paramref name="count"/> addresses from one block, writing the block and the handle in one transaction.</summary>
    /// <param name="known">The block as just read, used for the first attempt (a copy nobody else changes); retries read it again.</param>
    private Task<List<AssignedAddress>> AssignFromBlockAsync(
        IpamContext context, IpPrefix cidr, Block? known, string host, int count, AutoAssignRequest request, bool mustBeAffine, HandlePrefetch handle,
        CancellationToken cancellationToken) =>
        CasRetry.RunAsync(options, $"assigning from block {cidr}", async () =>
        {
            var block = known ?? await store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
            known = null;
            if (block is null || (mustBeAffine && !block.IsAffineTo(host)))
                return new List<AssignedAddress>();
            block.CollectGarbage(context.Config.IpCooldownSeconds, options.Time.GetUtcNow());
            var ordinals = block.AutoAssign(count, request.HandleId, request.Attributes, context.Reservations);
            if (ordinals.Count == 0)
                return [];
            var sequences = ordinals.Select(block.SequenceFor).ToList();
            await CommitAsync(context, block, request.HandleId, ordinals.Count, handle, cancellationToken).ConfigureAwait(false);
            var borrowed = !block.IsAffineTo(host);
            return ordinals.Select((o, i) => new AssignedAddress(block.AddressAt(o), cidr, sequences[i], borrowed)).ToList();
        }, cancellationToken);

    /// <summary>Writes a changed block and adds <paramref name="added"/> to its handle's count, together or not at all.</summary>
    /// <param name="prefetch">The handle as read at the start of the request, used once; null or used up: read it now.</param>
    private async Task CommitAsync(IpamContext context, Block block, string? handleId, int added, HandlePrefetch? prefetch, CancellationToken cancellationToken)
    {
        block.BumpSequence();
        var blockKey = IpamKeys.Block(block.Cidr);
        var guards = new List<Compare> { Compare.ModRevisionIs(blockKey, block.ModRevision) };
        var ops = new List<TxnOp> { TxnOp.Put(blockKey, block.Serialize()) };
        // What the choice of this block rested on must still be so: the settings, the node's labels, the pool.
        var relied = context.KeysFor(block.Cidr).ToList();
        guards.AddRange(relied.Select(k => IpamStore.Unchanged(k.Key, k.ModRevision)));
        if (handleId is not null)
        {
            var handle = prefetch?.Take() is { } early
                ? await early.ConfigureAwait(false)
                : await store.GetHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
            var value = handle?.Value ?? new IpamHandle();
            var cidr = block.Cidr.ToString();
            value.Block[cidr] = value.Block.GetValueOrDefault(cidr) + added;
            value.Deleted = false;
            var key = IpamKeys.Handle(handleId);
            guards.Add(IpamStore.Unchanged(key, handle?.ModRevision ?? 0));
            ops.Add(TxnOp.Put(key, IpamStore.Encode(value)));
        }

        var result = await store.Datastore.TxnAsync(new TxnRequest { If = guards, Then = ops, Else = [.. relied.Select(k => TxnOp.Get(k.Key))] }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            contexts.ForgetBlocks();
            for (var i = 0; i < relied.Count; i++)
            {
                if ((result.Results[i]?.ModRevision ?? 0) != relied[i].ModRevision)
                    throw new ContextChangedException($"{relied[i].Key} changed while allocating from {block.Cidr}");
            }

            throw new CasConflictException($"writing block {block.Cidr}");
        }

        contexts.CommittedBlocksAndHandles(result.Revision, block);
    }

    /// <summary>Blocks this host holds in enabled pools that no longer select it are given up once empty (as Calico does).</summary>
    /// <returns>The blocks given up.</returns>
    private async Task<HashSet<IpPrefix>> ReleaseBlocksOfPoolsNoLongerSelectingAsync(
        IpamContext context, string host, bool isV6, List<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)> affinities, CancellationToken cancellationToken)
    {
        var released = new HashSet<IpPrefix>();
        var labels = context.NodeLabels ?? new Dictionary<string, string>();
        foreach (var (cidr, _) in affinities)
        {
            var pool = context.Pools.Enabled(isV6).FirstOrDefault(p => p.Cidr.Contains(cidr));
            if (pool is null || pool.NodeSelector.Matches(labels))
                continue;
            try
            {
                if (await claimer.ReleaseAffinityAsync(host, cidr, requireEmpty: true, null, cancellationToken).ConfigureAwait(false))
                    released.Add(cidr);
            }
            catch (Exception e) when (e is ClaimLostException or IpamException)
            {
                // Not empty, or not ours: keep it.
            }
        }

        return released;
    }

    /// <summary>Undoes a partial assignment. It runs even when the caller was cancelled; if the store is gone too, the
    /// addresses stay allocated to the handle, where a release by handle or <c>ipam check</c> finds them.</summary>
    internal async Task ReleaseQuietlyAsync(IpamContext context, string? handleId, List<AssignedAddress> assigned)
    {
        if (assigned.Count == 0)
            return;
        try
        {
            var releaser = new AddressReleaser(store, this, contexts, options);
            await releaser.ReleaseAsync(context, [.. assigned.Select(a => new ReleaseRequest(a.Address.Address.ToString(), handleId, a.SequenceNumber))], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DatastoreException or IpamException)
        {
            // Reported by the caller's own failure; the allocation is findable by its handle.
        }

        assigned.Clear();
    }
}
