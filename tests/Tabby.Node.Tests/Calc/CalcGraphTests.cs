using Tabby.Core.Addressing;
using Tabby.Datastore.Syncer;
using Tabby.Node.Calc;
using static Tabby.Node.Tests.Calc.GraphInput;

namespace Tabby.Node.Tests.Calc;

public sealed class CalcGraphTests
{
    private const string Me = "host-a";

    /// <summary>The dataplane as a set of facts, built by applying batches in order.</summary>
    private sealed class ModelDataplane
    {
        public Dictionary<EndpointId, LocalEndpoint> Endpoints { get; } = [];

        public HashSet<IpPrefix> Blocks { get; } = [];

        public bool InSync { get; private set; }

        public int Batches { get; private set; }

        public void Apply(DataplaneBatch? batch)
        {
            if (batch is null)
                return;
            Batches++;
            foreach (var e in batch.EndpointUpserts)
                Endpoints[e.Id] = e;
            foreach (var b in batch.BlockUpserts)
                Assert.True(Blocks.Add(b), $"block {b} added twice");
            foreach (var id in batch.EndpointRemoves)
                Assert.True(Endpoints.Remove(id), $"endpoint {id} removed but not present");
            foreach (var b in batch.BlockRemoves)
                Assert.True(Blocks.Remove(b), $"block {b} removed but not present");
            InSync |= batch.InSync;
        }

        public string Describe() =>
            string.Join(";", Endpoints.Values.OrderBy(e => e.Id.ToString(), StringComparer.Ordinal).Select(e => $"{e.Id}@{e.InterfaceName}={string.Join(",", e.Addresses)}"))
            + "|" + string.Join(",", Blocks.Order());
    }

    /// <summary>Every update that leads to one final state, including churn on the way.</summary>
    private static List<SyncerUpdate> History() =>
    [
        Endpoint("w1", Me, "cali0000000001", "10.20.1.2/32"),
        Endpoint("w2", Me, "cali0000000002", "10.20.1.3/32", "fd00::3/128"),
        Endpoint("w3", "host-b", "cali0000000003", "10.20.2.2/32"),
        Endpoint("w4", Me, "cali0000000004", "10.20.1.4/32"),
        Affinity(Me, "10.20.1.0/26", "pending"),
        Affinity(Me, "10.20.1.0/26", "confirmed"),
        Affinity(Me, "10.20.9.0/26", "confirmed"),
        Endpoint("w2", Me, "cali0000000002", "10.20.1.3/32"),
        EndpointDeleted("w4"),
        Affinity(Me, "10.20.9.0/26", "pendingDeletion"),
        Affinity(Me, "10.20.9.0/26", null),
        Endpoint("w5", "host-b", "cali0000000005", "10.20.2.5/32"),
        Endpoint("w5", Me, "cali0000000005", "10.20.1.5/32"),
    ];

    private const string Expected =
        "default/w1@cali0000000001=10.20.1.2/32;default/w2@cali0000000002=10.20.1.3/32;default/w5@cali0000000005=10.20.1.5/32|10.20.1.0/26";

    [Fact]
    public void The_history_in_order_gives_the_expected_dataplane()
    {
        Assert.Equal(Expected, Run([History()]).Describe());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void The_same_history_in_any_batching_gives_the_same_dataplane(int batchSize)
    {
        var history = History();
        var batches = history.Chunk(batchSize).Select(c => c.ToList()).ToList();
        Assert.Equal(Expected, Run(batches).Describe());
    }

    [Fact]
    public void Final_states_delivered_in_any_order_with_duplicates_give_the_same_dataplane()
    {
        // What a re-list after an outage delivers: only each key's last state, in any order, some twice.
        var final = History().GroupBy(u => u.Key).Select(g => g.Last()).ToList();
        var rng = new Random(7);
        for (var trial = 0; trial < 50; trial++)
        {
            var shuffled = final.Concat(final.Where(_ => rng.Next(3) == 0)).OrderBy(_ => rng.Next()).ToList();
            var batches = shuffled.Chunk(1 + rng.Next(4)).Select(c => c.ToList()).ToList();
            Assert.Equal(Expected, Run(batches).Describe());
        }
    }

    [Fact]
    public void Nothing_reaches_the_dataplane_as_in_sync_before_the_syncer_says_so_and_duplicates_make_no_work()
    {
        var graph = new CalcGraph(Me);
        var model = new ModelDataplane();
        graph.OnUpdates(History());
        model.Apply(graph.Flush());
        Assert.False(model.InSync);
        graph.OnStatus(SyncStatus.InSync);
        model.Apply(graph.Flush());
        Assert.True(model.InSync);

        var before = model.Batches;
        graph.OnUpdates(History().GroupBy(u => u.Key).Select(g => g.Last()).ToList());
        Assert.Null(graph.Flush());
        Assert.Equal(before, model.Batches);
    }

    [Fact]
    public void A_flap_inside_one_batch_emits_nothing()
    {
        var graph = new CalcGraph(Me);
        graph.OnUpdates([Endpoint("w1", Me, "cali0000000001", "10.20.1.2/32"), EndpointDeleted("w1"), Affinity(Me, "10.20.1.0/26", "confirmed"), Affinity(Me, "10.20.1.0/26", null)]);
        Assert.Null(graph.Flush());
    }

    [Fact]
    public void An_endpoint_that_cannot_be_programmed_is_absent_and_reported()
    {
        var graph = new CalcGraph(Me);
        graph.OnUpdates([Endpoint("ok", Me, "cali0000000001", "10.20.1.2/32"), Endpoint("bad-if", Me, "eth0/x", "10.20.1.3/32"), Endpoint("bad-ip", Me, "cali0000000009", "10.20.1.300/32")]);
        var batch = graph.Flush()!;
        Assert.Equal(["default/ok"], batch.EndpointUpserts.Select(e => e.Id.ToString()));
        var problems = graph.DrainProblems();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("bad-if", StringComparison.Ordinal) && p.Contains("interfaceName", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("bad-ip", StringComparison.Ordinal) && p.Contains("ipNetworks", StringComparison.Ordinal));

        // It becomes fixable: the corrected version is programmed; a good one turned bad is removed.
        graph.OnUpdates([Endpoint("bad-ip", Me, "cali0000000009", "10.20.1.30/32"), Endpoint("ok", Me, "eth0/x", "10.20.1.2/32")]);
        var next = graph.Flush()!;
        Assert.Equal(["default/bad-ip"], next.EndpointUpserts.Select(e => e.Id.ToString()));
        Assert.Equal(["default/ok"], next.EndpointRemoves.Select(e => e.ToString()));
    }

    [Fact]
    public void A_stored_value_that_is_not_a_resource_fails_closed()
    {
        var graph = new CalcGraph(Me);
        var good = Endpoint("w1", Me, "cali0000000001", "10.20.1.2/32");
        graph.OnUpdates([good]);
        Assert.NotNull(graph.Flush());
        graph.OnUpdates([good with { Value = "{not json"u8.ToArray() }]);
        var batch = graph.Flush()!;
        Assert.Equal(["default/w1"], batch.EndpointRemoves.Select(e => e.ToString()));
        Assert.Single(graph.DrainProblems());
    }

    private static ModelDataplane Run(List<List<SyncerUpdate>> batches)
    {
        var graph = new CalcGraph(Me);
        var model = new ModelDataplane();
        graph.OnStatus(SyncStatus.ResyncInProgress);
        foreach (var batch in batches)
        {
            graph.OnUpdates(batch);
            model.Apply(graph.Flush());
        }

        graph.OnStatus(SyncStatus.InSync);
        model.Apply(graph.Flush());
        Assert.True(model.InSync);
        return model;
    }

    /// <summary>The overlay's inputs, with churn: a pool switched on and off and on, a VTEP address changed, an affinity released.</summary>
    private static List<SyncerUpdate> OverlayHistory() =>
    [
        Resource(new Api.Resources.Node { Metadata = { Name = Me }, Spec = new Api.Resources.NodeSpec { Bgp = new Api.Resources.NodeBgpSpec { Ipv4Address = "192.168.0.2/24" }, Ipv4VxlanTunnelAddr = "10.20.1.0", VxlanTunnelMacAddr = "66:00:00:00:00:0a" } }),
        Resource(new Api.Resources.Node { Metadata = { Name = "host-b" }, Spec = new Api.Resources.NodeSpec { Bgp = new Api.Resources.NodeBgpSpec { Ipv4Address = "192.168.0.3/24" }, Ipv4VxlanTunnelAddr = "10.20.2.9", VxlanTunnelMacAddr = "66:00:00:00:00:0b" } }),
        Resource(new Api.Resources.IPPool { Metadata = { Name = "p" }, Spec = new Api.Resources.IPPoolSpec { Cidr = "10.20.0.0/16", VxlanMode = "Always" } }),
        Affinity(Me, "10.20.1.0/26", "confirmed"),
        Affinity("host-b", "10.20.2.0/26", "confirmed"),
        Affinity("host-b", "10.20.5.0/26", "confirmed"),
        Resource(new Api.Resources.IPPool { Metadata = { Name = "p" }, Spec = new Api.Resources.IPPoolSpec { Cidr = "10.20.0.0/16", VxlanMode = "Never" } }),
        Resource(new Api.Resources.Node { Metadata = { Name = "host-b" }, Spec = new Api.Resources.NodeSpec { Bgp = new Api.Resources.NodeBgpSpec { Ipv4Address = "192.168.0.3/24" }, Ipv4VxlanTunnelAddr = "10.20.2.0", VxlanTunnelMacAddr = "66:00:00:00:00:0b" } }),
        Affinity("host-b", "10.20.5.0/26", null),
        Resource(new Api.Resources.IPPool { Metadata = { Name = "p" }, Spec = new Api.Resources.IPPoolSpec { Cidr = "10.20.0.0/16", VxlanMode = "Always" } }),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public void The_overlay_plan_is_the_same_for_any_batching_and_for_final_states_in_any_order(int batchSize)
    {
        string Run(IEnumerable<SyncerUpdate> updates, int size)
        {
            var graph = new CalcGraph(Me);
            OverlayPlan? last = null;
            foreach (var chunk in updates.Chunk(size))
            {
                graph.OnUpdates(chunk);
                last = graph.Flush()?.Overlay ?? last;
            }

            graph.OnStatus(SyncStatus.InSync);
            last = graph.Flush()?.Overlay ?? last;
            return last?.Fingerprint() ?? "none";
        }

        var expected = Run(OverlayHistory(), 100);
        Assert.Contains("10.20.2.0/26 via 10.20.2.0 dev vxlan.calico onlink", expected, StringComparison.Ordinal);
        Assert.DoesNotContain("10.20.5.0", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Run(OverlayHistory(), batchSize));
        // Only the last word per key, shuffled, each twice.
        var finals = OverlayHistory().GroupBy(u => u.Key).Select(g => g.Last()).ToList();
        var shuffled = finals.Concat(finals).OrderBy(u => u.Key.GetHashCode(StringComparison.Ordinal) ^ batchSize).ToList();
        Assert.Equal(expected, Run(shuffled, batchSize));
    }
}
