using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>Collects what the calculation nodes want and hands the dataplane only the difference from what it last got.</summary>
/// <remarks>
/// Pending state is keyed, so the last word wins: an endpoint added and removed inside one batch, or written
/// twice with the same content, emits nothing. Flush compares against what was flushed before, so a
/// duplicate update or a re-list after an outage produces no dataplane work.
/// </remarks>
public sealed class EventSequencer
{
    private readonly Dictionary<EndpointId, LocalEndpoint?> _pendingEndpoints = [];
    private readonly Dictionary<IpPrefix, bool> _pendingBlocks = [];
    private readonly Dictionary<EndpointId, LocalEndpoint> _sentEndpoints = [];
    private readonly HashSet<IpPrefix> _sentBlocks = [];
    private bool _inSyncPending;
    private RoutingPlan? _pendingRouting;
    private string? _sentRouting = RoutingPlan.Disabled.Fingerprint();
    private OverlayPlan? _pendingOverlay;
    private string _sentOverlay = OverlayPlan.None.Fingerprint();

    public void EndpointUpdated(LocalEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _pendingEndpoints[endpoint.Id] = endpoint;
    }

    public void EndpointRemoved(EndpointId id) => _pendingEndpoints[id] = null;

    public void BlockAffine(IpPrefix block) => _pendingBlocks[block] = true;

    public void BlockNotAffine(IpPrefix block) => _pendingBlocks[block] = false;

    public void InSync() => _inSyncPending = true;

    public void RoutingChanged(RoutingPlan plan) => _pendingRouting = plan;

    public void OverlayChanged(OverlayPlan plan) => _pendingOverlay = plan;

    /// <summary>The changes since the last flush, or null when there are none.</summary>
    public DataplaneBatch? Flush()
    {
        var endpointUpserts = new List<LocalEndpoint>();
        var endpointRemoves = new List<EndpointId>();
        foreach (var (id, endpoint) in _pendingEndpoints)
        {
            if (endpoint is null)
            {
                if (_sentEndpoints.Remove(id))
                    endpointRemoves.Add(id);
            }
            else if (!_sentEndpoints.TryGetValue(id, out var sent) || !sent.Equals(endpoint))
            {
                _sentEndpoints[id] = endpoint;
                endpointUpserts.Add(endpoint);
            }
        }

        var blockUpserts = new List<IpPrefix>();
        var blockRemoves = new List<IpPrefix>();
        foreach (var (block, affine) in _pendingBlocks)
        {
            if (affine ? _sentBlocks.Add(block) : _sentBlocks.Remove(block))
                (affine ? blockUpserts : blockRemoves).Add(block);
        }

        RoutingPlan? routing = null;
        if (_pendingRouting is { } plan && plan.Fingerprint() is var fingerprint && fingerprint != _sentRouting)
        {
            _sentRouting = fingerprint;
            routing = plan;
        }

        OverlayPlan? overlay = null;
        if (_pendingOverlay is { } wanted && wanted.Fingerprint() is var overlayPrint && overlayPrint != _sentOverlay)
        {
            _sentOverlay = overlayPrint;
            overlay = wanted;
        }

        _pendingOverlay = null;
        _pendingRouting = null;
        _pendingEndpoints.Clear();
        _pendingBlocks.Clear();
        var batch = new DataplaneBatch
        {
            EndpointUpserts = endpointUpserts,
            BlockUpserts = blockUpserts,
            EndpointRemoves = endpointRemoves,
            BlockRemoves = blockRemoves,
            Routing = routing,
            Overlay = overlay,
            InSync = _inSyncPending,
        };
        _inSyncPending = false;
        return batch.IsEmpty ? null : batch;
    }
}
