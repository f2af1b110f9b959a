using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>Releases addresses, by address or by handle; each block and its handles change in one transaction.</summary>
internal sealed class AddressReleaser(IpamStore store, BlockAllocator allocator, ContextCache contexts, IpamOptions options)
{
    /// <summary>Releases each address that is still the allocation the request names (handle, sequence number).</summary>
    public async Task<List<ReleaseResult>> ReleaseAsync(IpamContext context, IReadOnlyList<ReleaseRequest> requests, CancellationToken cancellationToken)
    {
        var parsed = new List<(ReleaseRequest Request, IpPrefix Address)>();
        foreach (var request in requests)
        {
            if (!IpamAddress.TryParse(request.Address, out var address, out var error))
                throw new IpamException(IpamErrorCode.InvalidRequest, error);
            parsed.Add((request, address));
        }

        var results = new ReleaseResult?[requests.Count];
        var byBlock = new Dictionary<IpPrefix, List<int>>();
        for (var i = 0; i < parsed.Count; i++)
        {
            IpPrefix? block = null;
            foreach (var known in byBlock.Keys)
            {
                if (known.Contains(parsed[i].Address))
                {
                    block = known;
                    break;
                }
            }

            block ??= (await allocator.FindBlockAsync(context, parsed[i].Address, cancellationToken).ConfigureAwait(false))?.Cidr;
            if (block is not { } cidr)
            {
                results[i] = new ReleaseResult(parsed[i].Request.Address, ReleaseOutcome.NotAllocated);
                continue;
            }

            if (!byBlock.TryGetValue(cidr, out var list))
                byBlock[cidr] = list = [];
            list.Add(i);
        }

        foreach (var (cidr, indexes) in byBlock)
        {
            var outcome = await CasRetry.RunAsync(options, $"releasing from block {cidr}",
                () => ReleaseFromBlockAsync(context, cidr, indexes.Select(i => parsed[i]).ToList(), cancellationToken), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < indexes.Count; j++)
                results[indexes[j]] = outcome[j];
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>Releases every address a handle holds and deletes the handle; returns how many were released (0 when the handle does not exist).</summary>
    public async Task<int> ReleaseByHandleAsync(IpamContext context, string handleId, CancellationToken cancellationToken)
    {
        var handle = await store.GetHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
        if (handle is null)
            return 0;
        var total = 0;
        foreach (var cidrText in handle.Value.Block.Keys.ToList())
        {
            total += await CasRetry.RunAsync(options, $"releasing handle {handleId}", async () =>
            {
                var current = await store.GetHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
                if (current is null || !current.Value.Block.ContainsKey(cidrText))
                    return 0;
                var guards = new List<Compare> { Compare.ModRevisionIs(current.Key, current.ModRevision) };
                var ops = new List<TxnOp>();
                var released = 0;
                Block? written = null;
                if (IpPrefix.TryParse(cidrText.AsSpan(), out var cidr, out _) && await GetBlockAsync(context, cidr, cancellationToken).ConfigureAwait(false) is { } block)
                {
                    var now = options.Time.GetUtcNow();
                    block.CollectGarbage(context.Config.IpCooldownSeconds, now);
                    var ordinals = block.OrdinalsOf(handleId);
                    if (ordinals.Count > 0)
                    {
                        block.Release(ordinals, context.Config.IpCooldownSeconds, now);
                        block.BumpSequence();
                        guards.Add(Compare.ModRevisionIs(IpamKeys.Block(cidr), block.ModRevision));
                        ops.Add(TxnOp.Put(IpamKeys.Block(cidr), block.Serialize()));
                        released = ordinals.Count;
                        written = block;
                    }
                }

                current.Value.Block.Remove(cidrText);
                ops.Add(current.Value.Block.Count == 0 ? TxnOp.Delete(current.Key) : TxnOp.Put(current.Key, IpamStore.Encode(current.Value)));
                var result = await store.Datastore.TxnAsync(new TxnRequest { If = guards, Then = ops }, cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                    contexts.ForgetBlocks();
                CasRetry.EnsureSucceeded(result, $"releasing handle {handleId}");
                contexts.CommittedBlocksAndHandles(result.Revision, written);
                return released;
            }, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    /// <summary>A block as stored: known without reading when nothing but this client's commits changed anything, else read.</summary>
    private async Task<Block?> GetBlockAsync(IpamContext context, IpPrefix cidr, CancellationToken cancellationToken)
    {
        if (contexts.KnownBlock(context, cidr) is { } known)
            return known;
        var block = await store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
        if (block is not null)
            contexts.ReadBlock(context, block);
        return block;
    }

    private async Task<List<ReleaseResult>> ReleaseFromBlockAsync(
        IpamContext context, IpPrefix cidr, List<(ReleaseRequest Request, IpPrefix Address)> items, CancellationToken cancellationToken)
    {
        var results = new List<ReleaseResult>(items.Count);
        var block = await GetBlockAsync(context, cidr, cancellationToken).ConfigureAwait(false);
        if (block is null)
            return [.. items.Select(i => new ReleaseResult(i.Request.Address, ReleaseOutcome.NotAllocated))];
        var now = options.Time.GetUtcNow();
        block.CollectGarbage(context.Config.IpCooldownSeconds, now);
        var ordinals = new List<int>();
        var perHandle = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (request, address) in items)
        {
            var ordinal = block.OrdinalOf(address);
            var attribute = block.AttributeAt(ordinal);
            var holder = Block.SanitizeHandle(attribute?.HandleId);
            if (attribute is null || attribute.ReleasedAt is not null || ordinals.Contains(ordinal))
            {
                results.Add(new ReleaseResult(request.Address, ReleaseOutcome.NotAllocated));
            }
            else if (request.SequenceNumber is { } wanted && wanted != block.SequenceFor(ordinal))
            {
                results.Add(new ReleaseResult(request.Address, ReleaseOutcome.Skipped,
                    $"allocated again since (sequence number {block.SequenceFor(ordinal)}, not {wanted})"));
            }
            else if (request.HandleId is { } handle && handle != holder)
            {
                results.Add(new ReleaseResult(request.Address, ReleaseOutcome.Skipped, $"held by handle '{holder}', not '{handle}'"));
            }
            else
            {
                ordinals.Add(ordinal);
                if (holder is not null)
                    perHandle[holder] = perHandle.GetValueOrDefault(holder) + 1;
                results.Add(new ReleaseResult(request.Address, ReleaseOutcome.Released));
            }
        }

        if (ordinals.Count == 0)
            return results;

        block.Release(ordinals, context.Config.IpCooldownSeconds, now);
        block.BumpSequence();
        var guards = new List<Compare> { Compare.ModRevisionIs(IpamKeys.Block(cidr), block.ModRevision) };
        var ops = new List<TxnOp> { TxnOp.Put(IpamKeys.Block(cidr), block.Serialize()) };
        var cidrText = cidr.ToString();
        foreach (var (handleId, count) in perHandle)
        {
            if (handleId.Contains('/', StringComparison.Ordinal) || handleId.Length == 0)
                continue;
            var handle = await store.GetHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
            if (handle is null)
                continue;
            var left = handle.Value.Block.GetValueOrDefault(cidrText) - count;
            if (left > 0)
                handle.Value.Block[cidrText] = left;
            else
                handle.Value.Block.Remove(cidrText);
            guards.Add(Compare.ModRevisionIs(handle.Key, handle.ModRevision));
            ops.Add(handle.Value.Block.Count == 0 ? TxnOp.Delete(handle.Key) : TxnOp.Put(handle.Key, IpamStore.Encode(handle.Value)));
        }

        var result = await store.Datastore.TxnAsync(new TxnRequest { If = guards, Then = ops }, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
            contexts.ForgetBlocks();
        CasRetry.EnsureSucceeded(result, $"releasing from block {cidr}");
        contexts.CommittedBlocksAndHandles(result.Revision, block);
        return results;
    }
}
