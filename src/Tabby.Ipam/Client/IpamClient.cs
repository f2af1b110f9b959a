using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>Block-affinity IP address management over an <see cref="IDatastore"/>, in Calico's model and key layout.</summary>
/// <remarks>
/// Pools are split into blocks that hosts claim; a host allocates from its own blocks first, claims more up to
/// the per-host limit, then (unless strict affinity is set) borrows from other hosts' blocks. Every change is a
/// compare-and-swap transaction that writes a block together with the handles it affects, retried with
/// jittered backoff when a concurrent writer wins, so an address is never handed out twice and a crash never
/// leaves a block and its handle disagreeing. Safe to use from many processes and hosts at once.
/// </remarks>
public sealed class IpamClient
{
    private readonly IpamStore _store;
    private readonly ContextCache _contexts;
    private readonly IpamOptions _options;
    private readonly BlockClaimer _claimer;
    private readonly BlockAllocator _allocator;
    private readonly AddressReleaser _releaser;

    public IpamClient(IDatastore datastore, IpamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(datastore);
        _options = options ?? new IpamOptions();
        _store = new IpamStore(datastore);
        _contexts = new ContextCache(_store, _options.Time);
        _claimer = new BlockClaimer(_store, _options);
        _allocator = new BlockAllocator(_store, _claimer, _contexts, _options);
        _releaser = new AddressReleaser(_store, _allocator, _contexts, _options);
    }

    /// <summary>The reads and encodings underneath, for tools that inspect IPAM state (check, show).</summary>
    public IpamStore Store => _store;

    /// <summary>Assigns addresses from qualifying pools: all that were asked for, or none (dual stack included).</summary>
    /// <exception cref="IpamException">Why nothing was assigned.</exception>
    public async Task<AutoAssignResult> AutoAssignAsync(AutoAssignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckHost(request.Host);
        CheckHandle(request.HandleId);
        if (request.Num4 < 0 || request.Num6 < 0 || request.Num4 + request.Num6 == 0)
            throw new IpamException(IpamErrorCode.InvalidRequest, $"ask for at least one address (IPv4 {request.Num4}, IPv6 {request.Num6})");

        return await WithFreshContextAsync(request.Host, async context =>
        {
            var v4 = request.Num4 > 0 ? await _allocator.AssignAsync(context, request, false, request.Num4, cancellationToken).ConfigureAwait(false) : [];
            List<AssignedAddress> v6;
            try
            {
                v6 = request.Num6 > 0 ? await _allocator.AssignAsync(context, request, true, request.Num6, cancellationToken).ConfigureAwait(false) : [];
            }
            catch
            {
                // Dual stack is one request: without its IPv6 half, the IPv4 half goes back.
                await _allocator.ReleaseQuietlyAsync(context, request.HandleId, v4).ConfigureAwait(false);
                throw;
            }

            return new AutoAssignResult(v4, v6);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Assigns one specific address to a host, or says why not (not in a pool, reserved, in use, strict affinity).</summary>
    public async Task<AssignedAddress> AssignIpAsync(AssignIpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckHost(request.Host);
        CheckHandle(request.HandleId);
        return await WithFreshContextAsync(request.Host, context => _allocator.AssignAddressAsync(context, request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases addresses; each is released only if it is still the allocation the request names.</summary>
    public async Task<IReadOnlyList<ReleaseResult>> ReleaseIpsAsync(IReadOnlyList<ReleaseRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var context = await _contexts.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        return await _releaser.ReleaseAsync(context, requests, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases everything a handle holds; idempotent (a handle that does not exist releases nothing).</summary>
    /// <returns>How many addresses were released.</returns>
    public async Task<int> ReleaseByHandleAsync(string handleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handleId);
        CheckHandle(handleId);
        var context = await _contexts.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        return await _releaser.ReleaseByHandleAsync(context, handleId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The addresses a handle holds.</summary>
    public async Task<IReadOnlyList<IpPrefix>> IpsByHandleAsync(string handleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handleId);
        CheckHandle(handleId);
        var handle = await _store.GetHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
        if (handle is null)
            return [];
        var addresses = new List<IpPrefix>();
        foreach (var cidrText in handle.Value.Block.Keys)
        {
            if (IpPrefix.TryParse(cidrText.AsSpan(), out var cidr, out _) && await _store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false) is { } block)
                addresses.AddRange(block.OrdinalsOf(handleId).Select(block.AddressAt));
        }

        return addresses;
    }

    /// <summary>Who holds an address, or null when it is not allocated.</summary>
    public async Task<AllocationInfo?> GetAllocationAsync(string address, CancellationToken cancellationToken = default)
    {
        if (!IpamAddress.TryParse(address, out var parsed, out var error))
            throw new IpamException(IpamErrorCode.InvalidRequest, error);
        var context = await _contexts.LoadAsync(null, cancellationToken).ConfigureAwait(false);
        var block = await _allocator.FindBlockAsync(context, parsed, cancellationToken).ConfigureAwait(false);
        if (block?.AttributeAt(block.OrdinalOf(parsed)) is not { } attribute)
            return null;
        var ordinal = block.OrdinalOf(parsed);
        return new AllocationInfo(parsed, block.Cidr, block.Data.Affinity, Blocks.Block.SanitizeHandle(attribute.HandleId),
            attribute.ActiveOwnerAttrs ?? [], block.SequenceFor(ordinal), IpamTime.Parse(attribute.ReleasedAt));
    }

    /// <summary>The IPAM settings (the defaults when none are stored).</summary>
    public async Task<IpamConfig> GetConfigAsync(CancellationToken cancellationToken = default) =>
        (await _store.GetConfigAsync(cancellationToken).ConfigureAwait(false))?.Value ?? IpamConfig.Default;

    /// <summary>Changes the IPAM settings; null leaves a setting as it is.</summary>
    public Task<IpamConfig> ConfigureAsync(bool? strictAffinity = null, int? maxBlocksPerHost = null, int? ipCooldownSeconds = null, CancellationToken cancellationToken = default)
    {
        if (maxBlocksPerHost is < 0)
            throw new IpamException(IpamErrorCode.InvalidRequest, $"the block limit per host must be 0 (the default of 20) or more, not {maxBlocksPerHost}");
        if (ipCooldownSeconds is < 0)
            throw new IpamException(IpamErrorCode.InvalidRequest, $"the cooldown must be 0 seconds or more, not {ipCooldownSeconds}");
        return CasRetry.RunAsync(_options, "configuring IPAM", async () =>
        {
            var stored = await _store.GetConfigAsync(cancellationToken).ConfigureAwait(false);
            var config = stored?.Value ?? IpamConfig.Default;
            config.StrictAffinity = strictAffinity ?? config.StrictAffinity;
            config.MaxBlocksPerHost = maxBlocksPerHost ?? config.MaxBlocksPerHost;
            config.IpCooldownSeconds = ipCooldownSeconds ?? config.IpCooldownSeconds;
            var result = await _store.Datastore.TxnAsync(new TxnRequest
            {
                If = [IpamStore.Unchanged(IpamKeys.Config, stored?.ModRevision ?? 0)],
                Then = [TxnOp.Put(IpamKeys.Config, IpamStore.Encode(config))],
            }, cancellationToken).ConfigureAwait(false);
            CasRetry.EnsureSucceeded(result, "configuring IPAM");
            return config;
        }, cancellationToken);
    }

    /// <summary>Gives up a host's claim on a block: deleted when empty, else left without an owner (its addresses stay allocated).</summary>
    /// <param name="requireEmpty">Refuse when the block holds addresses.</param>
    /// <returns>False when the host had no affinity to the block.</returns>
    /// <exception cref="IpamException">Code InUse: the block is not empty and <paramref name="requireEmpty"/> is set; or it belongs to another host.</exception>
    public async Task<bool> ReleaseAffinityAsync(string host, IpPrefix block, bool requireEmpty, CancellationToken cancellationToken = default)
    {
        CheckHost(host);
        try
        {
            return await _claimer.ReleaseAffinityAsync(host, block, requireEmpty, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLostException e)
        {
            throw new IpamException(IpamErrorCode.InUse, e.Message, e);
        }
    }

    /// <summary>Releases an empty block only if it is still the version the caller saw (its sequence number); for grace-period reaping.</summary>
    internal async Task<bool> ReleaseEmptyBlockAsync(string host, IpPrefix block, ulong sequenceNumber, CancellationToken cancellationToken)
    {
        try
        {
            return await _claimer.ReleaseAffinityAsync(host, block, requireEmpty: true, sequenceNumber, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaimLostException)
        {
            return false;
        }
    }

    /// <summary>Gives up every block a host holds (when a node is removed): empty ones are deleted, others lose their owner.</summary>
    public async Task<int> ReleaseHostAffinitiesAsync(string host, bool requireEmpty, CancellationToken cancellationToken = default)
    {
        CheckHost(host);
        var released = 0;
        foreach (var isV6 in new[] { false, true })
        {
            foreach (var (cidr, _) in await _store.ListAffinitiesAsync(host, isV6, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (await _claimer.ReleaseAffinityAsync(host, cidr, requireEmpty, null, cancellationToken).ConfigureAwait(false))
                        released++;
                }
                catch (ClaimLostException)
                {
                    // Not empty (when required) or not this host's: left alone.
                }
            }
        }

        return released;
    }

    /// <summary>Runs a request with a context; when its commit finds the settings, node or pool changed under it, starts over with a fresh one.</summary>
    /// <remarks>A refusal (no pool, no room, strict affinity) made with settings, pools and labels from an earlier read is
    /// checked once more with everything read afresh, so a change made meanwhile never turns into a wrong refusal.</remarks>
    private async Task<T> WithFreshContextAsync<T>(string host, Func<IpamContext, Task<T>> request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var context = await _contexts.LoadAsync(host, cancellationToken).ConfigureAwait(false);
            try
            {
                return await request(context).ConfigureAwait(false);
            }
            catch (ContextChangedException e)
            {
                _contexts.Invalidate();
                if (attempt >= 5)
                    throw new IpamException(IpamErrorCode.Contention, $"the IPAM settings, node {host} or its pool kept changing through {attempt} attempts", e);
            }
            catch (IpamException e) when (context.Settled && attempt < 5 && e.Code is not (IpamErrorCode.InvalidRequest or IpamErrorCode.Contention or IpamErrorCode.Corrupt))
            {
                _contexts.Invalidate();
            }
        }
    }

    private static void CheckHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Contains('/', StringComparison.Ordinal))
            throw new IpamException(IpamErrorCode.InvalidRequest, $"host '{host}' must be a non-empty name without '/'");
    }

    private static void CheckHandle(string? handleId)
    {
        if (handleId is not null && (handleId.Length == 0 || handleId.Contains('/', StringComparison.Ordinal)))
            throw new IpamException(IpamErrorCode.InvalidRequest, $"handle '{handleId}' must be a non-empty name without '/'");
    }
}
