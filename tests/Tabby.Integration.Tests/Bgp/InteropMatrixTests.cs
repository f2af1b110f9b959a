using System.Net;
using System.Text.Json;
using Tabby.Bgp.Config;
using Tabby.Bgp.Speaker;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>The rest of the interop matrix: route reflection, 4-octet AS with a 2-octet peer, IPv6, communities, withdrawals, route refresh and MD5.</summary>
public sealed class InteropMatrixTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("bgpm");

    [Fact]
    public async Task Tabby_reflects_routes_between_bird_and_frr_clients()
    {
        var segment = _lab.BuildSegment(3);
        var (tabby, birdHost, frrHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        const uint asn = 65000;
        var fromBird = IpPrefix.Parse("10.211.0.0/24");
        var fromFrr = IpPrefix.Parse("10.212.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, asn,
            new BgpPeerConfig(birdHost.Address, asn) { HoldTime = 9, RouteReflectorClient = true },
            new BgpPeerConfig(frrHost.Address, asn) { HoldTime = 9, RouteReflectorClient = true });
        var bird = (BirdDaemon)_lab.StartDaemon("bird", birdHost, new BgpRouterSpec(birdHost.Address, asn, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, asn)],
            Originate = [fromBird],
        });
        var frr = (FrrDaemon)_lab.StartDaemon("frr", frrHost, new BgpRouterSpec(frrHost.Address, asn, frrHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, asn)],
            Originate = [fromFrr],
        });

        await bird.WaitForPrefixesAsync([fromFrr]);
        await frr.WaitForPrefixesAsync([fromBird]);

        var birdView = bird.Birdc($"show route all {fromFrr}").Output;
        Assert.Contains($"BGP.originator_id: {frrHost.Address}", birdView, StringComparison.Ordinal);
        Assert.Contains($"BGP.cluster_list: {tabby.Address}", birdView, StringComparison.Ordinal);
        var frrView = frr.Vtysh($"show bgp ipv4 unicast {fromBird} json").Output;
        using var json = JsonDocument.Parse(frrView);
        var path = json.RootElement.GetProperty("paths")[0];
        Assert.Equal(birdHost.Address.ToString(), path.GetProperty("originatorId").GetString());
        Assert.Contains(tabby.Address.ToString(), path.GetProperty("clusterList").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tabby_as_a_client_of_a_bird_reflector_learns_another_clients_route()
    {
        var segment = _lab.BuildSegment(3);
        var (tabby, reflector, frrHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        const uint asn = 65000;
        var fromFrr = IpPrefix.Parse("10.213.0.0/24");
        var ours = IpPrefix.Parse("10.214.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, asn, new BgpPeerConfig(reflector.Address, asn) { HoldTime = 9 });
        speaker.Originate(ours);
        _lab.StartDaemon("bird", reflector, new BgpRouterSpec(reflector.Address, asn, reflector.Address)
        {
            Neighbors =
            [
                new BgpNeighborSpec(tabby.Address, asn) { RouteReflectorClient = true },
                new BgpNeighborSpec(frrHost.Address, asn) { RouteReflectorClient = true },
            ],
        });
        var frr = _lab.StartDaemon("frr", frrHost, new BgpRouterSpec(frrHost.Address, asn, frrHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(reflector.Address, asn)],
            Originate = [fromFrr],
        });

        await BgpLab.WaitForBestAsync(speaker, fromFrr, present: true);
        await frr.WaitForPrefixesAsync([ours]);
        var best = (await speaker.BestPathsAsync()).Single(p => p.Prefix == fromFrr);
        Assert.Equal(ParseId(frrHost.Address), best.Attributes.OriginatorId);
    }

    [Fact]
    public async Task A_four_octet_tabby_interoperates_with_a_two_octet_peer()
    {
        var segment = _lab.BuildSegment(2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        const uint tabbyAs = 4200000001;
        var ours = IpPrefix.Parse("10.215.0.0/24");
        var theirs = IpPrefix.Parse("10.216.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, tabbyAs, new BgpPeerConfig(peer.Address, 65010) { HoldTime = 9 });
        speaker.Originate(ours);
        // FRR without capabilities is a 2-octet speaker on the wire (BIRD's `enable as4 off` cannot do this: see BgpNeighborSpec).
        var frr = (FrrDaemon)_lab.StartDaemon("frr", peer, new BgpRouterSpec(peer.Address, 65010, peer.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, tabbyAs) { FourOctetAs = false }],
            Originate = [theirs],
        });

        await frr.WaitEstablishedAsync(tabby.Address);
        await frr.WaitForPrefixesAsync([ours]);
        await BgpLab.WaitForBestAsync(speaker, theirs, present: true);
        using (var neighbor = JsonDocument.Parse(frr.Vtysh($"show bgp neighbors {tabby.Address} json").Output))
            Assert.DoesNotContain("4 Byte AS", neighbor.RootElement.GetProperty(tabby.Address.ToString()).GetRawText(), StringComparison.Ordinal);
        // A 2-octet session: our AS goes out as AS_TRANS in the 2-octet AS_PATH. FRR shows 23456 and does not merge AS4_PATH,
        // because it merges only from peers that sent no AS4 capability, and we (correctly) sent one.
        using (var route = JsonDocument.Parse(frr.Vtysh($"show bgp ipv4 unicast {ours} json").Output))
            Assert.Equal("23456", route.RootElement.GetProperty("paths")[0].GetProperty("aspath").GetProperty("string").GetString());
        var learned = (await speaker.BestPathsAsync()).Single(p => p.Prefix == theirs);
        Assert.Equal("65010", learned.Attributes.AsPath?.ToString());
    }

    [Theory]
    [InlineData("bird")]
    [InlineData("frr")]
    [InlineData("gobgp")]
    public async Task Tabby_exchanges_ipv6_routes_over_an_ipv6_session(string kind)
    {
        var segment = _lab.BuildSegment(2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        var ours = IpPrefix.Parse("fd10:200::/48");
        var theirs = IpPrefix.Parse("fd10:201::/48");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address6, 65000, tabby.Address,
            new BgpPeerConfig(peer.Address6, 65010) { HoldTime = 9, Families = [BgpFamily.Ipv6Unicast] });
        speaker.Originate(ours);
        var daemon = _lab.StartDaemon(kind, peer, new BgpRouterSpec(peer.Address, 65010, peer.Address6)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address6, 65000)],
            Originate = [theirs],
        });

        await daemon.WaitEstablishedAsync(tabby.Address6);
        await daemon.WaitForPrefixesAsync([ours]);
        await BgpLab.WaitForBestAsync(speaker, theirs, present: true);
    }

    [Fact]
    public async Task Communities_pass_through_tabby_and_withdrawals_propagate()
    {
        var segment = _lab.BuildSegment(3);
        var (tabby, birdHost, frrHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var prefix = IpPrefix.Parse("10.217.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, 65000,
            new BgpPeerConfig(birdHost.Address, 65001) { HoldTime = 9 },
            new BgpPeerConfig(frrHost.Address, 65002) { HoldTime = 9 });
        var bird = (BirdDaemon)_lab.StartDaemon("bird", birdHost, new BgpRouterSpec(birdHost.Address, 65001, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
            Originate = [prefix],
            OriginateCommunities = ["65001:100"],
            OriginateLargeCommunities = ["65001:1:2"],
        });
        var frr = (FrrDaemon)_lab.StartDaemon("frr", frrHost, new BgpRouterSpec(frrHost.Address, 65002, frrHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        });

        await frr.WaitForPrefixesAsync([prefix]);
        using (var json = JsonDocument.Parse(frr.Vtysh($"show bgp ipv4 unicast {prefix} json").Output))
        {
            var path = json.RootElement.GetProperty("paths")[0];
            Assert.Equal("65001:100", path.GetProperty("community").GetProperty("string").GetString());
            Assert.Equal("65001:1:2", path.GetProperty("largeCommunity").GetProperty("string").GetString());
            Assert.Equal("65000 65001", path.GetProperty("aspath").GetProperty("string").GetString());
        }

        Assert.Contains("disabled", bird.Birdc("disable originate4").Output, StringComparison.Ordinal);
        await BgpLab.WaitForBestAsync(speaker, prefix, present: false);
        await frr.WaitForAbsenceAsync([prefix]);
    }

    [Fact]
    public async Task Tabby_answers_a_route_refresh_from_frr()
    {
        var segment = _lab.BuildSegment(2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        var ours = IpPrefix.Parse("10.218.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, 65000, new BgpPeerConfig(peer.Address, 65010) { HoldTime = 9 });
        speaker.Originate(ours);
        var frr = (FrrDaemon)_lab.StartDaemon("frr", peer, new BgpRouterSpec(peer.Address, 65010, peer.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000)],
        });
        await frr.WaitForPrefixesAsync([ours]);
        // The route-refresh is answered with the Adj-RIB-Out again: FRR's count of received UPDATEs grows.
        var updatesBefore = MessageStat(frr, tabby.Address, "updatesRecv");

        frr.Vtysh($"clear bgp ipv4 unicast {tabby.Address} soft in");

        await CommandRunner.WaitUntilAsync(() =>
        {
            var sent = MessageStat(frr, tabby.Address, "routeRefreshSent");
            var updates = MessageStat(frr, tabby.Address, "updatesRecv");
            return (sent >= 1 && updates > updatesBefore, $"frr refreshes sent {sent}; updates received {updates} (was {updatesBefore})");
        }, TimeSpan.FromSeconds(15), "frr to send ROUTE-REFRESH and tabby to re-advertise");
        Assert.True(frr.IsEstablished(tabby.Address));
        Assert.Contains(ours, frr.Prefixes());
    }

    [Theory]
    [InlineData("bird", true)]
    [InlineData("frr", true)]
    [InlineData("bird", false)]
    [InlineData("frr", false)]
    public async Task Md5_signatures_gate_the_session(string kind, bool rightPassword)
    {
        var segment = _lab.BuildSegment(2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        var ours = IpPrefix.Parse("10.219.0.0/24");
        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, 65000, new BgpPeerConfig(peer.Address, 65010) { HoldTime = 9, Password = "tabby-secret" });
        speaker.Originate(ours);
        var daemon = _lab.StartDaemon(kind, peer, new BgpRouterSpec(peer.Address, 65010, peer.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, 65000) { Password = rightPassword ? "tabby-secret" : "not-the-secret" }],
        });

        if (rightPassword)
        {
            await daemon.WaitEstablishedAsync(tabby.Address);
            await daemon.WaitForPrefixesAsync([ours]);
            return;
        }
        // The negative case has no event to wait for: watch for the whole deadline that nothing comes up.
        var ex = await Assert.ThrowsAsync<DaemonException>(() => CommandRunner.WaitUntilAsync(
            () => (daemon.IsEstablished(tabby.Address) || speaker.Peers().Single().State == Tabby.Bgp.Session.BgpSessionState.Established, "not established"),
            TimeSpan.FromSeconds(8), "a session with a wrong MD5 key"));
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ours, daemon.Prefixes());
    }

    private static long MessageStat(FrrDaemon frr, IPAddress neighbor, string counter)
    {
        try
        {
            using var json = JsonDocument.Parse(frr.Vtysh($"show bgp neighbors {neighbor} json").Output);
            return json.RootElement.GetProperty(neighbor.ToString()).GetProperty("messageStats").GetProperty(counter).GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return -1;
        }
    }

    private static uint ParseId(IPAddress address) => BgpSpeakerConfig.ParseRouterId(address.ToString());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
