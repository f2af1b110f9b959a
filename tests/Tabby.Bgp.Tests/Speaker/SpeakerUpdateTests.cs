using System.Net.Sockets;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session;
using Tabby.Bgp.Speaker;
using Tabby.Bgp.Tests.Session;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>What the speaker does with received UPDATEs: learns them, drops treat-as-withdraw ones (RFC 7606) and looped ones (RFC 4271 9.1.2) without resetting the session.</summary>
public sealed class SpeakerUpdateTests : IAsyncLifetime
{
    private const string Origin = "40 01 01 00";                 // ORIGIN IGP
    private const string PeerPath = "40 02 04 02 01 FDE9";       // AS_PATH: AS_SEQUENCE 65001 (2-octet session)
    private const string LoopedPath = "40 02 06 02 02 FDE9 FDE8"; // AS_PATH: 65001 65000, our own AS
    private const string NextHop = "40 03 04 7F000002";          // NEXT_HOP 127.0.0.2, the peer (ours is 127.0.0.1)
    private static readonly IpPrefix s_a = IpPrefix.Parse("10.20.1.0/24");
    private static readonly IpPrefix s_b = IpPrefix.Parse("10.20.2.0/24");
    private static readonly IPAddress s_peer = IPAddress.Parse("127.0.0.2");
    private BgpSpeaker? _speaker;

    public Task InitializeAsync()
    {
        _speaker = new BgpSpeaker(new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId("10.9.9.9"), 65000) { Listen = new IPEndPoint(IPAddress.Loopback, 0) });
        _speaker.AddPeer(new BgpPeerConfig(s_peer, 65001) { Passive = true, HoldTime = 9 });
        _speaker.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_speaker is not null)
            await _speaker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Treat_as_withdraw_and_looped_updates_remove_routes_and_keep_the_session()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        client.Bind(new IPEndPoint(s_peer, 0));
        await client.ConnectAsync(_speaker!.ListenEndPoint!, timeout.Token);
        await client.SendAsync(RawBgpClient.Open(65001, 9), SocketFlags.None, timeout.Token);
        await client.SendAsync(RawBgpClient.Header(19, 4), SocketFlags.None, timeout.Token); // KEEPALIVE

        await client.SendAsync(Update(Origin + PeerPath + NextHop, "18 0A1401 18 0A1402"), SocketFlags.None, timeout.Token);
        await WaitForBestAsync(has => has.Contains(s_a) && has.Contains(s_b), "both prefixes learned", timeout.Token);

        // ORIGIN with the optional flag set: RFC 7606 3 says treat as withdraw, not reset.
        await client.SendAsync(Update("C0 01 01 00" + PeerPath + NextHop, "18 0A1401"), SocketFlags.None, timeout.Token);
        await WaitForBestAsync(has => !has.Contains(s_a) && has.Contains(s_b), "10.20.1.0/24 withdrawn, 10.20.2.0/24 kept", timeout.Token);

        // Our own AS in the path of an eBGP route: a loop, which replaces (so removes) the peer's earlier path.
        await client.SendAsync(Update(Origin + LoopedPath + NextHop, "18 0A1402"), SocketFlags.None, timeout.Token);
        await WaitForBestAsync(has => has.Count == 0, "the looped route dropped", timeout.Token);

        var peer = Assert.Single(_speaker.Peers());
        Assert.Equal(BgpSessionState.Established, peer.State);
    }

    private static byte[] Update(string attributes, string nlri)
    {
        var attrs = Convert.FromHexString(attributes.Replace(" ", "", StringComparison.Ordinal));
        var prefixes = Convert.FromHexString(nlri.Replace(" ", "", StringComparison.Ordinal));
        var length = (ushort)(19 + 2 + 2 + attrs.Length + prefixes.Length);
        var bytes = RawBgpClient.Header(length, 2);
        // Withdrawn Routes Length 0, then Total Path Attribute Length, the attributes and the NLRI.
        bytes[21] = (byte)(attrs.Length >> 8);
        bytes[22] = (byte)attrs.Length;
        attrs.CopyTo(bytes, 23);
        prefixes.CopyTo(bytes, 23 + attrs.Length);
        return bytes;
    }

    private async Task WaitForBestAsync(Func<IReadOnlySet<IpPrefix>, bool> condition, string what, CancellationToken deadline)
    {
        while (true)
        {
            var best = (await _speaker!.BestPathsAsync()).Select(p => p.Prefix).ToHashSet();
            if (condition(best))
                return;
            if (deadline.IsCancellationRequested)
                Assert.Fail($"timed out waiting for {what}; best paths: {string.Join(", ", best)}; peers: {string.Join("; ", _speaker.Peers())}");
            // Polling the RIB loop; the condition, not the delay, ends the wait.
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
