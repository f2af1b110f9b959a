using System.Text.Json;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;
using BlockAffinity = Tabby.Ipam.Model.BlockAffinity;

namespace Tabby.Ipam.Client;

/// <summary>Loads each request's <see cref="IpamContext"/>, reusing what it read while that is known to be still right.</summary>
/// <remarks>
/// <para>A request first asks the datastore for its revision. If it is the revision the cached context was read at,
/// nothing at all was written since, so the context is exactly right and costs that one read. This client's own
/// block-and-handle commits touch nothing a context holds: when such a commit is the only write since (its revision
/// is the cached one plus one) the cached context moves to the new revision. Otherwise everything is read again, at
/// that one revision.</para>
/// <para>While others keep writing (other hosts allocating), the revision never matches. Then a request reads the
/// reservations afresh, concurrently with the revision, and takes the settings, pools, node labels and the host's
/// affinities from the last full read for up to <see cref="SettledFor"/>: every allocation's commit is guarded by
/// the revisions the settings, node and pool keys had (<see cref="IpamContext.KeysFor"/>), so one that changed fails
/// the commit and the request starts over with a full read; claiming, borrowing and refusing are decided only on a
/// full read. A pool created meanwhile is used once the next full read sees it.</para>
/// <para>Stored pools, reservations and nodes are decoded once per stored value: v3 decoding is the costly part.</para>
/// </remarks>
internal sealed class ContextCache(IpamStore store, TimeProvider time)
{
    /// <summary>How long a full read's settings, pools and node labels stand in for a new read while the datastore keeps changing.</summary>
    public static readonly TimeSpan SettledFor = TimeSpan.FromSeconds(1);

    private static readonly KindInfo s_pools = KindRegistry.For<IPPool>();
    private static readonly KindInfo s_reservations = KindRegistry.For<IPReservation>();
    private static readonly KindInfo s_nodes = KindRegistry.For<Node>();

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (IpamContext Context, DateTimeOffset ReadAt)> _byHost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (byte[] Bytes, object? Value, string? Problem)> _decoded = new(StringComparer.Ordinal);
    private readonly Dictionary<IpPrefix, Block> _blocks = [];
    private long _blocksAt;
    private bool _lastMissed;

    public async Task<IpamContext> LoadAsync(string? host, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _lastMissed))
        {
            var revision = await store.Datastore.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            if (Cached(host, revision) is { } cached)
                return cached;
            Volatile.Write(ref _lastMissed, true);
            return Remember(await ReadAsync(host, revision, cancellationToken).ConfigureAwait(false));
        }

        // The last request found the datastore changed: ask for the revision and read at once, rather than one
        // round trip after the other, and keep the reads only if the revision says they are needed.
        var current = store.Datastore.GetRevisionAsync(cancellationToken);
        var settled = Settled(host);
        var read = settled is null ? ReadAsync(host, 0, cancellationToken) : ReadChangingAsync(settled, cancellationToken);
        if (Cached(host, await current.ConfigureAwait(false)) is { } hit)
        {
            Volatile.Write(ref _lastMissed, false);
            _ = read.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return hit;
        }

        var context = await read.ConfigureAwait(false);
        return settled is null ? Remember(context) : context;
    }

    /// <summary>Forgets every cached context (a commit found the settings, a node or a pool changed).</summary>
    public void Invalidate()
    {
        lock (_lock)
        {
            _byHost.Clear();
            _blocks.Clear();
            _blocksAt = 0;
        }

        Volatile.Write(ref _lastMissed, true);
    }

    /// <summary>Tells the cache this client committed a write that changed only blocks and handles, at <paramref name="revision"/>.</summary>
    /// <param name="revision">The commit's revision.</param>
    /// <param name="written">The block as the commit wrote it (this copy is the cache's from now on).</param>
    /// <remarks>Every write takes the next revision, so when the commit's is the cached one plus one, no one else wrote in
    /// between, and a context right at the cached revision is right at the commit's too.</remarks>
    public void CommittedBlocksAndHandles(long revision, Block? written)
    {
        lock (_lock)
        {
            foreach (var (host, (cached, readAt)) in _byHost.ToList())
            {
                if (cached.Revision == revision - 1 && cached.Revision > 0)
                    _byHost[host] = (cached with { Revision = revision }, readAt);
            }

            // Blocks known at the revision before stay known; after anyone else's write, only the one just written is.
            if (_blocksAt != revision - 1)
                _blocks.Clear();
            _blocksAt = revision;
            if (written is not null)
                _blocks[written.Cidr] = written.StoredAt(revision);
        }
    }

    /// <summary>A copy of a block as stored now, without reading it, when the context shows nothing but this client's commits
    /// changed the datastore since the block was read or written; else null.</summary>
    /// <remarks>Parsing a block is most of an allocation's own work. A copy may still be stale by the time it is written back
    /// (a borrower wrote the block meanwhile): the commit's guard on its revision catches that like any other race.</remarks>
    public Block? KnownBlock(IpamContext context, IpPrefix cidr)
    {
        lock (_lock)
            return !context.Settled && context.Revision > 0 && _blocksAt == context.Revision && _blocks.TryGetValue(cidr, out var block) ? block.Copy() : null;
    }

    /// <summary>Forgets the known blocks (a commit lost a race: someone else wrote since they were known).</summary>
    public void ForgetBlocks()
    {
        lock (_lock)
        {
            _blocks.Clear();
            _blocksAt = 0;
        }
    }

    /// <summary>Remembers a block just read, when it is known to be as stored at the context's revision (unchanged since it).</summary>
    public void ReadBlock(IpamContext context, Block block)
    {
        if (context.Settled || context.Revision <= 0 || block.ModRevision > context.Revision || block.ModRevision <= 0)
            return;
        lock (_lock)
        {
            if (_blocksAt != context.Revision)
            {
                _blocks.Clear();
                _blocksAt = context.Revision;
            }

            _blocks[block.Cidr] = block.Copy();
        }
    }

    private IpamContext? Cached(string? host, long revision)
    {
        lock (_lock)
            return _byHost.TryGetValue(host ?? "", out var cached) && cached.Context.Revision == revision && revision > 0 ? cached.Context : null;
    }

    /// <summary>The last full read for the host while it is recent enough to stand in for one.</summary>
    private IpamContext? Settled(string? host)
    {
        lock (_lock)
            return _byHost.TryGetValue(host ?? "", out var cached) && time.GetUtcNow() - cached.ReadAt < SettledFor ? cached.Context : null;
    }

    private IpamContext Remember(IpamContext context)
    {
        lock (_lock)
            _byHost[context.Host ?? ""] = (context, time.GetUtcNow());
        return context;
    }

    /// <summary>The settled context with the reservations read afresh; of no one revision, so never reused.</summary>
    /// <remarks>Reservations are the one part no commit can be guarded by (a new one is a new key), so they are always read.
    /// The host's affinities come from the settled read: one stale by a block given up or claimed meanwhile costs a retry
    /// (its guarded reads and writes fail) or a fresh read (a claim needs one), never a wrong allocation.</remarks>
    private async Task<IpamContext> ReadChangingAsync(IpamContext settled, CancellationToken cancellationToken)
    {
        var reservations = await store.Datastore.ListAllAsync(ResourceKey.PrefixFor(s_reservations), cancellationToken: cancellationToken).ConfigureAwait(false);
        ForgetDecodedGone(ResourceKey.PrefixFor(s_reservations), reservations.Items);
        return settled with { Revision = 0, Settled = true, Reservations = DecodeReservations(reservations.Items) };
    }

    /// <summary>Reads a context at <paramref name="revision"/>, or (0) at the latest; its revision is 0, never reused, unless every read was at one revision.</summary>
    private async Task<IpamContext> ReadAsync(string? host, long revision, CancellationToken cancellationToken)
    {
        var datastore = store.Datastore;
        var nodeKey = host is null ? null : ResourceKey.PathOf(s_nodes.Plural, null, host);
        var config = ListOneAsync(IpamKeys.Config, revision, cancellationToken);
        var pools = datastore.ListAllAtAsync(ResourceKey.PrefixFor(s_pools), revision, cancellationToken: cancellationToken);
        var reservations = datastore.ListAllAtAsync(ResourceKey.PrefixFor(s_reservations), revision, cancellationToken: cancellationToken);
        var node = nodeKey is null ? Task.FromResult<ListResult?>(null) : ListNodeAsync(nodeKey, revision, cancellationToken);
        var affinities = host is null ? Task.FromResult<ListResult?>(null) : ListAffinitiesAsync(host, revision, cancellationToken);
        await Task.WhenAll((Task)config, pools, reservations, node, affinities).ConfigureAwait(false);

        var lists = new[]
        {
            await pools.ConfigureAwait(false), await reservations.ConfigureAwait(false), await node.ConfigureAwait(false),
            await affinities.ConfigureAwait(false), await config.ConfigureAwait(false),
        };
        var at = lists.OfType<ListResult>().Select(l => l.Revision).Distinct().ToList();
        ForgetDecodedGone(ResourceKey.PrefixFor(s_pools), lists[0]!.Items);
        ForgetDecodedGone(ResourceKey.PrefixFor(s_reservations), lists[1]!.Items);
        var (poolSet, poolKeys) = DecodePools(lists[0]!.Items);
        var nodeItems = lists[2]?.Items ?? [];
        var configItems = lists[4]!.Items;
        return new IpamContext(
            at.Count == 1 ? at[0] : 0,
            host,
            DecodeConfig(configItems),
            poolSet,
            DecodeReservations(lists[1]!.Items),
            host is null ? null : DecodeNodeLabels(nodeItems),
            host is null ? [] : DecodeAffinities(lists[3]!.Items),
            new ContextVersions(configItems is [var c] ? c.ModRevision : 0, nodeKey, nodeItems is [var n] ? n.ModRevision : 0, poolKeys));
    }

    private async Task<ListResult?> ListNodeAsync(string key, long revision, CancellationToken cancellationToken) =>
        await ListOneAsync(key, revision, cancellationToken).ConfigureAwait(false);

    private async Task<ListResult?> ListAffinitiesAsync(string host, long revision, CancellationToken cancellationToken) =>
        await store.Datastore.ListAllAtAsync(IpamKeys.HostPrefix + host + "/", revision, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>One key at a revision, as a listing of its exact path (a prefix that also matches longer keys, filtered after).</summary>
    private async Task<ListResult> ListOneAsync(string key, long revision, CancellationToken cancellationToken)
    {
        var list = await store.Datastore.ListAllAtAsync(key, revision, cancellationToken: cancellationToken).ConfigureAwait(false);
        return list with { Items = [.. list.Items.Where(kv => kv.Key == key)] };
    }

    private static IpamConfig DecodeConfig(IReadOnlyList<KeyValue> items)
    {
        if (items is not [var kv])
            return IpamConfig.Default;
        try
        {
            return JsonSerializer.Deserialize(kv.Value, IpamJsonContext.Default.IpamConfig) ?? IpamConfig.Default;
        }
        catch (JsonException e)
        {
            throw new IpamException(IpamErrorCode.Corrupt, $"{kv.Key}: the stored value is not a valid IpamConfig", e);
        }
    }

    private (PoolSet Pools, Dictionary<string, (string Key, long ModRevision)> Keys) DecodePools(IReadOnlyList<KeyValue> items)
    {
        var infos = new List<PoolInfo>();
        var problems = new List<string>();
        var keys = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        foreach (var kv in items)
        {
            if (!ResourceKey.TryParse(kv.Key, out var key) || key.Value.Kind != s_pools)
                continue;
            var (value, problem) = Decode(kv, stored =>
            {
                var pool = (IPPool)ResourceCodec.Decode(stored);
                return (PoolInfo.From(pool, out var why), why);
            });
            if (value is PoolInfo info)
            {
                infos.Add(info);
                keys[info.Name] = (kv.Key, kv.ModRevision);
            }
            else if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return (PoolSet.FromInfos(infos, problems), keys);
    }

    private ReservationSet DecodeReservations(IReadOnlyList<KeyValue> items)
    {
        var ranges = new List<IpPrefix>();
        foreach (var kv in items)
        {
            if (!ResourceKey.TryParse(kv.Key, out var key) || key.Value.Kind != s_reservations)
                continue;
            if (Decode(kv, stored => (ReservationSet.From([(IPReservation)ResourceCodec.Decode(stored)]), null)).Value is ReservationSet set)
                ranges.AddRange(set.Ranges);
        }

        return ranges.Count == 0 ? ReservationSet.None : new ReservationSet(ranges);
    }

    private IReadOnlyDictionary<string, string>? DecodeNodeLabels(IReadOnlyList<KeyValue> items)
    {
        if (items is not [var kv])
            return null;
        return Decode(kv, stored => (((Node)ResourceCodec.Decode(stored)).Metadata.Labels ?? new Dictionary<string, string>(), null)).Value as IReadOnlyDictionary<string, string>;
    }

    private static List<(IpPrefix, Stored<BlockAffinity>)> DecodeAffinities(IReadOnlyList<KeyValue> items)
    {
        var result = new List<(IpPrefix, Stored<BlockAffinity>)>();
        foreach (var kv in items)
        {
            if (!IpamKeys.TryParseAffinity(kv.Key, out _, out var cidr))
                continue;
            try
            {
                if (JsonSerializer.Deserialize(kv.Value, IpamJsonContext.Default.BlockAffinity) is { } affinity)
                    result.Add((cidr, new Stored<BlockAffinity>(kv.Key, affinity, kv.ModRevision)));
            }
            catch (JsonException)
            {
                // Not readable: not an affinity this host can use (ipam check reports it).
            }
        }

        return result;
    }

    /// <summary>How many decoded values are kept (for tests: deleted pools and reservations must not stay).</summary>
    internal int DecodedCount
    {
        get
        {
            lock (_lock)
                return _decoded.Count;
        }
    }

    /// <summary>Drops the decoded values of keys under <paramref name="prefix"/> that a full listing no longer has, so a
    /// long-running agent does not keep every pool and reservation that ever existed.</summary>
    private void ForgetDecodedGone(string prefix, IReadOnlyList<KeyValue> listed)
    {
        var present = listed.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in _decoded.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !present.Contains(k)).ToList())
                _decoded.Remove(key);
        }
    }

    /// <summary>Decodes a stored value once: the same bytes under the same key give the same result.</summary>
    private (object? Value, string? Problem) Decode(KeyValue kv, Func<KeyValue, (object? Value, string? Problem)> decode)
    {
        lock (_lock)
        {
            if (_decoded.TryGetValue(kv.Key, out var hit) && hit.Bytes.AsSpan().SequenceEqual(kv.Value))
                return (hit.Value, hit.Problem);
        }

        (object? Value, string? Problem) result;
        try
        {
            result = decode(kv);
        }
        catch (FormatException e)
        {
            result = (null, $"{kv.Key}: {e.Message}");
        }

        lock (_lock)
            _decoded[kv.Key] = (kv.Value, result.Value, result.Problem);
        return result;
    }
}
