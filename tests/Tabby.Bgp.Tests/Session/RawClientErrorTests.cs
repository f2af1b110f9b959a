using System.Net.Sockets;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Session;
using Tabby.Bgp.Speaker;

namespace Tabby.Bgp.Tests.Session;

/// <summary>A raw TCP client sends malformed messages to a speaker on 127.0.0.1 and reads back the NOTIFICATION (RFC 4271 section 6).</summary>
public sealed class RawClientErrorTests : IAsyncLifetime
{
    private const ushort PeerAs = 65001;
    private BgpSpeaker? _speaker;

    public Task InitializeAsync()
    {
        _speaker = new BgpSpeaker(new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId("10.9.9.9"), 65000) { Listen = new IPEndPoint(IPAddress.Loopback, 0) });
        _speaker.AddPeer(new BgpPeerConfig(IPAddress.Loopback, PeerAs) { Passive = true, HoldTime = 9 });
        _speaker.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_speaker is not null)
            await _speaker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_bad_marker_gets_1_1()
    {
        var message = RawBgpClient.Open(PeerAs, 9);
        message[3] = 0x00;
        var (code, subcode, _) = await SendAndReadNotificationAsync(message);
        Assert.Equal((1, 1), (code, subcode));
    }

    [Fact]
    public async Task A_bad_length_gets_1_2_with_the_length_as_data()
    {
        var message = RawBgpClient.Header(18, 4); // KEEPALIVE claiming 18 octets: below the minimum 19
        var (code, subcode, data) = await SendAndReadNotificationAsync(message);
        Assert.Equal((1, 2), (code, subcode));
        Assert.Equal(new byte[] { 0x00, 0x12 }, data);
    }

    [Fact]
    public async Task A_bad_version_gets_2_1_with_our_version_as_data()
    {
        var message = RawBgpClient.Open(PeerAs, 9);
        message[19] = 3;
        var (code, subcode, data) = await SendAndReadNotificationAsync(message);
        Assert.Equal((2, 1), (code, subcode));
        Assert.Equal(new byte[] { 0x00, 0x04 }, data);
    }

    [Fact]
    public async Task An_unexpected_peer_as_gets_2_2()
    {
        var (code, subcode, _) = await SendAndReadNotificationAsync(RawBgpClient.Open(65002, 9));
        Assert.Equal((2, 2), (code, subcode));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_unacceptable_hold_time_gets_2_6(ushort holdTime)
    {
        var (code, subcode, _) = await SendAndReadNotificationAsync(RawBgpClient.Open(PeerAs, holdTime));
        Assert.Equal((2, 6), (code, subcode));
    }

    [Fact]
    public async Task An_unsupported_optional_parameter_gets_2_4()
    {
        var (code, subcode, _) = await SendAndReadNotificationAsync(RawBgpClient.Open(PeerAs, 9, [0x7F, 0x02, 0xAB, 0xCD]));
        Assert.Equal((2, 4), (code, subcode));
    }

    [Fact]
    public async Task An_unknown_capability_is_ignored_not_refused()
    {
        // RFC 5492 5: a capability we do not understand is ignored; the speaker answers the OPEN with a KEEPALIVE.
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(_speaker!.ListenEndPoint!, timeout.Token);
        // Optional parameter 2 (capabilities) holding capability 0x80, length 2.
        await client.SendAsync(RawBgpClient.Open(PeerAs, 9, [0x02, 0x04, 0x80, 0x02, 0xAB, 0xCD]), SocketFlags.None, timeout.Token);
        byte? last = null;
        while (await RawBgpClient.ReadMessageAsync(client, timeout.Token) is { } received)
        {
            last = received.Type;
            if (received.Type is 3 or 4)
                break;
        }
        Assert.Equal((byte)4, last);
    }

    private async Task<(int Code, int Subcode, byte[] Data)> SendAndReadNotificationAsync(byte[] message)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(_speaker!.ListenEndPoint!, timeout.Token);
        await client.SendAsync(message, SocketFlags.None, timeout.Token);
        (int, int, byte[])? notification = null;
        // The speaker may send its own OPEN first; skip anything that is not a NOTIFICATION.
        while (await RawBgpClient.ReadMessageAsync(client, timeout.Token) is { } received)
        {
            if (received.Type == 3)
            {
                notification = (received.Body[0], received.Body[1], received.Body[2..]);
                break;
            }
        }
        Assert.True(notification.HasValue, "the speaker closed the connection without a NOTIFICATION");
        // After a NOTIFICATION the speaker closes the connection: the next read ends the stream.
        Assert.Null(await RawBgpClient.ReadMessageAsync(client, timeout.Token));
        Assert.All(_speaker.Peers(), p => Assert.NotEqual(BgpSessionState.Established, p.State));
        return notification.Value;
    }
}
