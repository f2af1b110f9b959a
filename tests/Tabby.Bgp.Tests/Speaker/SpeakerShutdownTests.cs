using Tabby.Bgp.Session;
using Tabby.Bgp.Tests.Fakes;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>How the speaker leaves its peers: for a restart they keep its routes; removed, they drop them.</summary>
public sealed class SpeakerShutdownTests : IAsyncLifetime
{
    private const string PeerA = "192.0.2.2";
    private readonly SpeakerHarness _h = new();

    [Fact]
    public async Task Closing_for_a_restart_ends_the_connection_without_a_NOTIFICATION_and_the_session_stays_down()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA, gracefulRestart: SpeakerHarness.Restart(120, [BgpFamily.Ipv4Unicast])));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(BgpFamily.Ipv4Unicast), "the initial table");

        await _h.Speaker.CloseForRestartAsync();

        var (closed, notification) = await a.ReadUntilClosedAsync();
        Assert.True(closed);
        Assert.Null(notification); // a NOTIFICATION would end graceful restart at the peer (RFC 4724 4.2, without RFC 8538)
        var status = _h.Status(PeerA);
        Assert.Equal(BgpSessionState.Idle, status.State);
        Assert.Null(status.LastNotificationSent);
    }

    [Fact]
    public async Task Removing_a_peer_ends_the_session_with_a_Cease()
    {
        _h.Speaker.AddPeer(SpeakerHarness.Peer(PeerA, 65001));
        var a = await _h.ConnectAsync(PeerA, SpeakerHarness.Open(65001, PeerA));
        await a.ReadUntilAsync(p => p.EndOfRib.Contains(BgpFamily.Ipv4Unicast), "the initial table");

        var removal = _h.Speaker.RemovePeerAsync(System.Net.IPAddress.Parse(PeerA));
        var (closed, notification) = await a.ReadUntilClosedAsync();
        await removal;

        Assert.True(closed);
        Assert.Equal((BgpErrorCode.Cease, (byte)CeaseSubcode.PeerDeconfigured), (notification!.Code, notification.Subcode));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();
}
