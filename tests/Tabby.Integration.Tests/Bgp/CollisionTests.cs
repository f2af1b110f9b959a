using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session;
using Tabby.Bgp.Speaker;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>Two Tabby speakers that connect to each other at the same moment end with exactly one session (RFC 4271 6.8).</summary>
public sealed class CollisionTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("bgpc");

    [Fact]
    public async Task Simultaneous_connections_leave_exactly_one_session()
    {
        var segment = _lab.BuildSegment(2);
        var (a, b) = (segment.Members[0], segment.Members[1]);
        // Both active and created before either starts, so both connect out at once.
        var speakerA = Create(a, b.Address);
        var speakerB = Create(b, a.Address);
        speakerA.Start();
        speakerB.Start();

        await CommandRunner.WaitUntilAsync(() =>
        {
            var states = $"a: {speakerA.Peers().Single().State}, b: {speakerB.Peers().Single().State}";
            var connections = EstablishedBgpConnections(a.Namespace);
            return (speakerA.Peers().Single().State == BgpSessionState.Established &&
                    speakerB.Peers().Single().State == BgpSessionState.Established &&
                    connections.Count == 1, $"{states}; tcp: {string.Join(" | ", connections)}");
        }, TimeSpan.FromSeconds(15), "one Established session on one TCP connection");

        // The surviving session is stable: the loser's close did not take it down.
        var establishedAt = speakerA.Peers().Single().EstablishedAt;
        await speakerA.BestPathsAsync();
        Assert.Equal(establishedAt, speakerA.Peers().Single().EstablishedAt);
        Assert.Single(EstablishedBgpConnections(a.Namespace));
    }

    private static List<string> EstablishedBgpConnections(NetworkNamespace ns)
    {
        var (_, output) = CommandRunner.Run("ip", "netns", "exec", ns.Name!, "ss", "-Htn", "state", "established", "( sport = :179 or dport = :179 )");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    private BgpSpeaker Create(SegmentMember self, IPAddress other) =>
        _lab.CreateSpeaker(self.Namespace, self.Address, 65000, self.Address, new BgpPeerConfig(other, 65000) { HoldTime = 9 });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
