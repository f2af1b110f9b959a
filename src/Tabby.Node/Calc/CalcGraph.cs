using System.Text;
using System.Text.Json;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Datastore.Syncer;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;

namespace Tabby.Node.Calc;

/// <summary>The agent's calculation graph: datastore updates in, ordered dataplane batches out. Pure: no I/O, no clock.</summary>
/// <remarks>
/// <code>
///  syncer ──▶ CalcGraph.OnUpdates ─┬─ workloadendpoints/… ──▶ LocalEndpointFilter (spec.node == this node) ──┐
///   (per-key order, batches)      └─ ipam/v2/host/&lt;node&gt;/… ─▶ BlockAffinityTracker (confirmed only) ────────┴─▶ EventSequencer ─▶ Flush() ─▶ DataplaneBatch
///  syncer ──▶ CalcGraph.OnStatus (InSync) ──────────────────────────────────────────────────────────────────────▲
/// </code>
/// Not thread-safe: the syncer never calls it concurrently, and the agent flushes on the same thread.
/// </remarks>
public sealed class CalcGraph
{
    private readonly string _endpointPrefix = ResourceKey.PrefixFor(KindRegistry.For<WorkloadEndpoint>());
    private readonly string _nodePrefix = ResourceKey.PrefixFor(KindRegistry.For<Api.Resources.Node>());
    private readonly string _bgpConfigPrefix = ResourceKey.PrefixFor(KindRegistry.For<BGPConfiguration>());
    private readonly string _bgpPeerPrefix = ResourceKey.PrefixFor(KindRegistry.For<BGPPeer>());
    private readonly string _poolPrefix = ResourceKey.PrefixFor(KindRegistry.For<IPPool>());
    private readonly string _bgpFilterPrefix = ResourceKey.PrefixFor(KindRegistry.For<BGPFilter>());
    private readonly BgpConfigResolver _routing;
    private readonly string _affinityPrefix;
    private readonly EventSequencer _sequencer = new();
    private readonly LocalEndpointFilter _endpoints;
    private readonly BlockAffinityTracker _blocks;
    private readonly List<string> _problems = [];
    private bool _inSync;

    public CalcGraph(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        _affinityPrefix = IpamKeys.HostPrefix + nodeName + "/";
        _routing = new BgpConfigResolver(nodeName);
        _endpoints = new LocalEndpointFilter(nodeName, _sequencer, _routing);
        _blocks = new BlockAffinityTracker(_sequencer, _routing);
    }

    /// <summary>The datastore prefixes the graph needs (non-overlapping), for the syncer.</summary>
    public IReadOnlyList<string> Prefixes => [_endpointPrefix, _affinityPrefix, _nodePrefix, _bgpConfigPrefix, _bgpPeerPrefix, _poolPrefix, _bgpFilterPrefix];

    /// <summary>True once the syncer has reported the whole picture.</summary>
    public bool InSync => _inSync;

    public int LocalEndpoints => _endpoints.Count;

    public IReadOnlyCollection<Tabby.Core.Addressing.IpPrefix> OwnedBlocks => _blocks.Owned;

    public void OnUpdates(IReadOnlyList<SyncerUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        foreach (var update in updates)
        {
            if (update.Prefix == _endpointPrefix)
                OnEndpoint(update);
            else if (update.Prefix == _affinityPrefix)
                OnAffinity(update);
            else if (update.Prefix == _nodePrefix)
                OnResource<Api.Resources.Node>(update, _routing.OnNode);
            else if (update.Prefix == _bgpConfigPrefix)
                OnResource<BGPConfiguration>(update, _routing.OnConfiguration);
            else if (update.Prefix == _bgpPeerPrefix)
                OnResource<BGPPeer>(update, _routing.OnPeer);
            else if (update.Prefix == _poolPrefix)
                OnResource<IPPool>(update, _routing.OnPool);
            else if (update.Prefix == _bgpFilterPrefix)
                OnResource<BGPFilter>(update, _routing.OnFilter);
        }
    }

    public void OnStatus(SyncStatus status)
    {
        if (status == SyncStatus.InSync && !_inSync)
        {
            _inSync = true;
            _sequencer.InSync();
        }
    }

    /// <summary>What changed since the last flush, in dependency order; null when nothing did.</summary>
    public DataplaneBatch? Flush()
    {
        if (_routing.Dirty)
        {
            _sequencer.RoutingChanged(_routing.Resolve());
            _problems.AddRange(_routing.DrainProblems());
        }

        return _sequencer.Flush();
    }

    /// <summary>Stored objects the graph could not use since the last call (for the agent to log).</summary>
    public IReadOnlyList<string> DrainProblems()
    {
        var drained = _problems.ToList();
        _problems.Clear();
        return drained;
    }

    private void OnEndpoint(SyncerUpdate update)
    {
        if (!ResourceKey.TryParse(update.Key, out var key) || key.Value.Namespace is null)
            return;
        var id = new EndpointId(key.Value.Namespace, key.Value.Name);
        WorkloadEndpoint? endpoint = null;
        if (update.Value is { } value)
        {
            try
            {
                endpoint = ResourceCodec.Decode(new Tabby.Datastore.KeyValue(update.Key, value, update.Revision, 0, 0, null)) as WorkloadEndpoint;
            }
            catch (FormatException e)
            {
                // Fail closed: an endpoint we cannot read is treated as absent.
                _problems.Add($"{update.Key}: {e.Message}");
            }
        }

        if (_endpoints.OnWorkloadEndpoint(id, endpoint) is { } problem)
            _problems.Add(problem);
    }

    private void OnResource<T>(SyncerUpdate update, Action<string, T?> handler)
        where T : class, IResource
    {
        if (!ResourceKey.TryParse(update.Key, out var key))
            return;
        T? resource = null;
        if (update.Value is { } value)
        {
            try
            {
                resource = ResourceCodec.Decode(new Tabby.Datastore.KeyValue(update.Key, value, update.Revision, 0, 0, null)) as T;
            }
            catch (FormatException e)
            {
                _problems.Add($"{update.Key}: {e.Message}");
            }
        }

        handler(key.Value.Name, resource);
    }

    private void OnAffinity(SyncerUpdate update)
    {
        if (!IpamKeys.TryParseAffinity(update.Key, out _, out var block))
            return;
        string? state = null;
        if (update.Value is { } value)
        {
            try
            {
                state = JsonSerializer.Deserialize(value, IpamJson.BlockAffinity)?.State;
            }
            catch (JsonException e)
            {
                _problems.Add($"{update.Key}: not a block affinity: {e.Message} ({Encoding.UTF8.GetString(value)})");
            }
        }

        _blocks.OnAffinity(block, state);
    }
}
