using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net;
using Tabby.Bgp.Config;
using Tabby.Bgp.Speaker;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Session;

/// <summary>A raw 2-octet-only peer (no capabilities) checks what a 4-octet speaker puts on the wire (RFC 6793 4.2.2).</summary>
public sealed class RawClientAs4Tests : IAsyncLifetime
{
    private const uint TabbyAs = 4200000001;
    private BgpSpeaker? _speaker;

    public Task InitializeAsync()
    {
        _speaker = new BgpSpeaker(new BgpSpeakerConfig(BgpSpeakerConfig.ParseRouterId("10.9.9.9"), TabbyAs) { Listen = new IPEndPoint(IPAddress.Loopback, 0) });
        _speaker.AddPeer(new BgpPeerConfig(IPAddress.Loopback, 65001) { Passive = true, HoldTime = 9 });
        _speaker.Originate(IpPrefix.Parse("10.77.0.0/24"));
        _speaker.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_speaker is not null)
            await _speaker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_two_octet_peer_sees_as_trans_in_as_path_and_the_real_as_in_as4_path()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(_speaker!.ListenEndPoint!, timeout.Token);
        await client.SendAsync(RawBgpClient.Open(65001, 9), SocketFlags.None, timeout.Token);
        await client.SendAsync(RawBgpClient.Header(19, 4), SocketFlags.None, timeout.Token); // KEEPALIVE

        Dictionary<byte, byte[]>? attributes = null;
        byte openAsHigh = 0, openAsLow = 0;
        while (attributes is null && await RawBgpClient.ReadMessageAsync(client, timeout.Token) is { } message)
        {
            Assert.NotEqual(3, message.Type); // no NOTIFICATION
            if (message.Type == 1)
                (openAsHigh, openAsLow) = (message.Body[1], message.Body[2]);
            if (message.Type == 2 && Attributes(message.Body) is { Count: > 0 } found)
                attributes = found;
        }

        Assert.NotNull(attributes);
        Assert.Equal((0x5B, 0xA0), (openAsHigh, openAsLow)); // My Autonomous System in OPEN: AS_TRANS 23456
        // AS_PATH (type 2): one AS_SEQUENCE of one 2-octet AS, AS_TRANS.
        Assert.Equal(new byte[] { 2, 1, 0x5B, 0xA0 }, attributes[2]);
        // AS4_PATH (type 17): the same path with the real 4-octet AS.
        var as4 = new byte[6];
        as4[0] = 2;
        as4[1] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(as4.AsSpan(2), TabbyAs);
        Assert.Equal(as4, attributes[17]);
    }

    private static Dictionary<byte, byte[]> Attributes(byte[] update)
    {
        var withdrawn = BinaryPrimitives.ReadUInt16BigEndian(update);
        var at = 2 + withdrawn;
        var total = BinaryPrimitives.ReadUInt16BigEndian(update.AsSpan(at));
        at += 2;
        var end = at + total;
        var result = new Dictionary<byte, byte[]>();
        while (at < end)
        {
            var flags = update[at];
            var type = update[at + 1];
            var extended = (flags & 0x10) != 0;
            var length = extended ? BinaryPrimitives.ReadUInt16BigEndian(update.AsSpan(at + 2)) : update[at + 2];
            var start = at + (extended ? 4 : 3);
            result[type] = update[start..(start + length)];
            at = start + length;
        }
        return result;
    }
}
