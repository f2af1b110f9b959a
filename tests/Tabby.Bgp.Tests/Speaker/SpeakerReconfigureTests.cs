using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>
/// A peer's policies replaced while its session runs (how the agent applies a changed BGPFilter): the session stays up,
/// the table is exported again, and the peer is asked for its routes again with ROUTE-REFRESH (RFC 2918).
/// </summary>
public sealed class SpeakerReconfigureTests : IAsyncLifetime
{
    private const string PeerA = "192.0.2.2"; // eBGP, AS 65001
    private static readonly BgpFamily s_v4 = BgpFamily.Ipv4Unicast;
    private static readonly IpPrefix s_nine = IpPrefix.Parse("10.9.0.0/16");
    private static readonly IpPrefix s_ten = IpPrefix.Parse("10.10.0.0/16");
    private readonly SpeakerHarness _h = new();

    private static PathAttributes FromA => new() { Origin = BgpOrigin.Igp, AsPath = AsPath.Sequence(65001), NextHop = IPAddress.Parse(PeerA) };

    private static RoutePolicy Rejecting(IpPrefix prefix) => new(
    [
        new PolicyTerm("reject " + prefix, new PolicyMatch { Prefixes = [new PrefixMatch(prefix)] }, PolicyAction.Reject),
        new PolicyTerm("rest", PolicyMatch.Any, PolicyAction.Accept),
    ]);

    [Fact]
    public async Task A_new_export_policy_withdraws_what_it_rejects_and_sends_what_it_now_accepts_without_a_reset()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001) with { Export = Rejecting(s_nine) });
        _h.Speaker.Originate(s_nine);
        _h.Speaker.Originate(s_ten);
        await _h.WaitBestAsync(b => b.Count == 2, "both originated");
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(s_v4), "the initial table");
        Assert.Equal([s_ten], a.Routes.Keys);

        Assert.True(_h.Speaker.UpdatePolicies(IPAddress.Parse(PeerA), import: null, export: Rejecting(s_ten)));

        await a.ReadUntilAsync(p => p.Routes.ContainsKey(s_nine) && !p.Routes.ContainsKey(s_ten), "10.9 sent and 10.10 withdrawn");
        Assert.Empty(a.RefreshRequests); // the import side did not change: nothing to ask for
        var status = _h.Status(PeerA);
        Assert.Equal((1, null), (status.EstablishedTransitions, status.LastNotificationSent));
    }

    [Fact]
    public async Task A_new_import_policy_asks_the_peer_for_its_routes_again_and_applies_to_them()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = [s_nine, s_ten] });
        await _h.WaitBestAsync(b => b.Count == 2, "both routes accepted");

        Assert.True(_h.Speaker.UpdatePolicies(IPAddress.Parse(PeerA), import: Rejecting(s_nine), export: null));
        await a.ReadUntilAsync(p => p.RefreshRequests.Contains(s_v4), "a ROUTE-REFRESH for IPv4 unicast");
        a.Send(new BgpUpdate { Attributes = FromA, Nlri = [s_nine, s_ten] }); // what a peer does on ROUTE-REFRESH

        await _h.WaitBestAsync(b => b.Count == 1, "10.9 dropped by the new import policy");
        Assert.Equal(s_ten, Assert.Single(await _h.Speaker.BestPathsAsync()).Prefix);
        Assert.Equal(1, _h.Status(PeerA).EstablishedTransitions);
    }

    [Fact]
    public async Task A_peer_that_cannot_refresh_has_its_session_reset_when_the_import_policy_changes()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        var open = BgpOpen.Create(65001, 0, BgpSpeakerConfig.ParseRouterId(PeerA), [new MultiprotocolCapability(s_v4), new FourOctetAsCapability(65001)]);
        var a = await _h.ConnectAsync(PeerA, open);
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(s_v4), "the initial table");

        _h.Speaker.UpdatePolicies(IPAddress.Parse(PeerA), import: Rejecting(s_nine), export: null);

        var (closed, notification) = await a.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Equal(BgpErrorCode.Cease, notification!.Code);
        Assert.Contains("ROUTE-REFRESH", notification.ShutdownMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Policies_for_an_unknown_peer_are_refused() =>
        Assert.False(_h.Speaker.UpdatePolicies(IPAddress.Parse("192.0.2.99"), null, null));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();
}
