using Prometheus;

namespace Tabby.Node.Status;

/// <summary>The agent's Prometheus metrics, in a registry of its own (several agents can share a test process).</summary>
public sealed class AgentMetrics
{
    public AgentMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Endpoints = factory.CreateGauge("tabby_node_endpoints", "Workload endpoints on this node, and how many have their interface programmed.", "state");
        Routes = factory.CreateGauge("tabby_node_routes", "Routes the agent holds in the kernel, by kind.", "kind");
        InSync = factory.CreateGauge("tabby_node_datastore_in_sync", "1 when the agent's view of the datastore is complete and live.");
        CalcSeconds = factory.CreateHistogram("tabby_node_calc_seconds", "Time the calculation graph spent on one batch of datastore updates.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00001, 4, 10) });
        ApplySeconds = factory.CreateHistogram("tabby_node_dataplane_apply_seconds", "Time one dataplane apply took (netlink and sysctls).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 4, 10) });
        ApplyErrors = factory.CreateCounter("tabby_node_dataplane_apply_errors_total", "Dataplane applies that failed and were retried.");
        Resyncs = factory.CreateCounter("tabby_node_dataplane_resyncs_total", "Full read-back reconciliations of the dataplane.");
        BgpPeers = factory.CreateGauge("tabby_node_bgp_peers", "BGP neighbours by session state (up: Established).", "state");
        BgpRoutes = factory.CreateGauge("tabby_node_bgp_routes", "Routes learned from and announced to BGP neighbours.", "direction");
        DatastoreUpdates = factory.CreateCounter("tabby_node_datastore_updates_total", "Datastore updates received by the calculation graph.");
    }

    public CollectorRegistry Registry { get; }

    public Gauge Endpoints { get; }

    public Gauge Routes { get; }

    public Gauge InSync { get; }

    public Histogram CalcSeconds { get; }

    public Histogram ApplySeconds { get; }

    public Counter ApplyErrors { get; }

    public Counter Resyncs { get; }

    public Counter DatastoreUpdates { get; }

    public Gauge BgpPeers { get; }

    public Gauge BgpRoutes { get; }
}
