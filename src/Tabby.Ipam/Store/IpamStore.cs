using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;

namespace Tabby.Ipam.Store;

/// <summary>Reads and encodes the stored IPAM objects; every read keeps the revision a later compare-and-swap needs.</summary>
public sealed class IpamStore(IDatastore datastore)
{
    public IDatastore Datastore { get; } = datastore ?? throw new ArgumentNullException(nameof(datastore));

    public async Task<Block?> GetBlockAsync(IpPrefix cidr, CancellationToken cancellationToken)
    {
        var key = IpamKeys.Block(cidr);
        var kv = await Datastore.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return kv is null ? null : Block.Parse(key, kv.Value, kv.ModRevision);
    }

    /// <summary>Every block of a family (or both), at one revision; blocks that do not parse are returned as problems.</summary>
    public async Task<BlockListing> ListBlocksAsync(bool? isV6, long revision, CancellationToken cancellationToken)
    {
        var list = await ListAtAsync(IpamKeys.BlockPrefix(isV6), revision, cancellationToken).ConfigureAwait(false);
        var blocks = new List<Block>(list.Items.Count);
        var problems = new List<string>();
        foreach (var kv in list.Items)
        {
            try
            {
                blocks.Add(Block.Parse(kv.Key, kv.Value, kv.ModRevision));
            }
            catch (IpamException e)
            {
                problems.Add(e.Message);
            }
        }

        return new BlockListing(blocks, problems, list.Revision);
    }

    public Task<Stored<BlockAffinity>?> GetAffinityAsync(string host, IpPrefix cidr, CancellationToken cancellationToken) =>
        GetAsync(IpamKeys.Affinity(host, cidr), IpamJsonContext.Default.BlockAffinity, cancellationToken);

    /// <summary>The affinities of one host in one family, in key order.</summary>
    public async Task<List<(IpPrefix Cidr, Stored<BlockAffinity> Affinity)>> ListAffinitiesAsync(string host, bool isV6, CancellationToken cancellationToken)
    {
        var list = await Datastore.ListAllAsync(IpamKeys.AffinityPrefix(host, isV6), cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = new List<(IpPrefix, Stored<BlockAffinity>)>();
        foreach (var kv in list.Items)
        {
            if (IpamKeys.TryParseAffinity(kv.Key, out _, out var cidr) && TryDecode(kv, IpamJsonContext.Default.BlockAffinity) is { } stored)
                result.Add((cidr, stored));
        }

        return result;
    }

    /// <summary>Every affinity of every host, at one revision.</summary>
    public async Task<List<(string Host, IpPrefix Cidr, Stored<BlockAffinity>? Affinity)>> ListAllAffinitiesAsync(long revision, CancellationToken cancellationToken)
    {
        var list = await ListAtAsync(IpamKeys.HostPrefix, revision, cancellationToken).ConfigureAwait(false);
        var result = new List<(string, IpPrefix, Stored<BlockAffinity>?)>();
        foreach (var kv in list.Items)
        {
            if (IpamKeys.TryParseAffinity(kv.Key, out var host, out var cidr))
                result.Add((host, cidr, TryDecode(kv, IpamJsonContext.Default.BlockAffinity)));
        }

        return result;
    }

    public Task<Stored<IpamHandle>?> GetHandleAsync(string handleId, CancellationToken cancellationToken) =>
        GetAsync(IpamKeys.Handle(handleId), IpamJsonContext.Default.IpamHandle, cancellationToken);

    /// <summary>Every handle, at one revision (a value that does not parse comes back null).</summary>
    public async Task<List<(string HandleId, string Key, long ModRevision, IpamHandle? Handle)>> ListHandlesAsync(long revision, CancellationToken cancellationToken)
    {
        var list = await ListAtAsync(IpamKeys.HandlePrefix, revision, cancellationToken).ConfigureAwait(false);
        var result = new List<(string, string, long, IpamHandle?)>();
        foreach (var kv in list.Items)
        {
            if (IpamKeys.HandleIdOf(kv.Key) is { } id)
                result.Add((id, kv.Key, kv.ModRevision, TryDecode(kv, IpamJsonContext.Default.IpamHandle)?.Value));
        }

        return result;
    }

    /// <summary>The stored settings, or null when there are none (callers use <see cref="IpamConfig.Default"/>).</summary>
    public Task<Stored<IpamConfig>?> GetConfigAsync(CancellationToken cancellationToken) =>
        GetAsync(IpamKeys.Config, IpamJsonContext.Default.IpamConfig, cancellationToken);

    public static byte[] Encode(BlockAffinity value) => JsonSerializer.SerializeToUtf8Bytes(value, IpamJsonContext.Default.BlockAffinity);

    public static byte[] Encode(IpamHandle value) => JsonSerializer.SerializeToUtf8Bytes(value, IpamJsonContext.Default.IpamHandle);

    public static byte[] Encode(IpamConfig value) => JsonSerializer.SerializeToUtf8Bytes(value, IpamJsonContext.Default.IpamConfig);

    /// <summary>The guard that a key is still as read: at that revision, or absent when it was absent (0).</summary>
    public static Compare Unchanged(string key, long modRevision) =>
        modRevision == 0 ? Compare.Missing(key) : Compare.ModRevisionIs(key, modRevision);

    private async Task<ListResult> ListAtAsync(string prefix, long revision, CancellationToken cancellationToken)
    {
        // ListAllAsync pages at the first page's revision; to read several prefixes as one snapshot, the
        // caller passes the revision the first listing returned.
        if (revision <= 0)
            return await Datastore.ListAllAsync(prefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        var items = new List<KeyValue>();
        string? next = null;
        while (true)
        {
            var page = await Datastore.ListAsync(prefix, new ListOptions { Limit = 1000, Revision = revision, ContinueKey = next }, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            next = page.ContinueKey;
            if (next is null)
                return new ListResult(items, revision, null);
        }
    }

    private async Task<Stored<T>?> GetAsync<T>(string key, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var kv = await Datastore.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (kv is null)
            return null;
        return TryDecode(kv, type) ?? throw new IpamException(IpamErrorCode.Corrupt, $"{key}: the stored value is not a valid {typeof(T).Name}");
    }

    private static Stored<T>? TryDecode<T>(KeyValue kv, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(kv.Value, type) is { } value ? new Stored<T>(kv.Key, value, kv.ModRevision) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
