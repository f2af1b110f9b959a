using System.Buffers.Binary;
using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Lab.Tests.Cluster;

namespace Tabby.Lab.Tests.Failure;

/// <summary>
/// A neighbour that sends an agent broken BGP: each broken session is reset with the NOTIFICATION RFC 4271
/// names (or, for attribute errors, the route is treated as withdrawn per RFC 7606), while the agent's other
/// sessions and its workloads carry on.
/// </summary>
public sealed class MalformedBgpTests
{
    private static readonly IpPrefix Injected = IpPrefix.Parse("10.20.250.0/26");

    // A valid route sent after the broken one: once it is learned, the broken UPDATE before it has been handled.
    private static readonly IpPrefix Marker = IpPrefix.Parse("10.20.251.0/26");

    [Fact]
    public async Task Broken_messages_reset_only_their_own_session_with_the_right_notification()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 3, WorkloadsPerHost = 1, Purpose = "badbgp" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var (target, healthy, rogue) = (lab.Host("host0"), lab.Host("host1"), lab.Host("host2"));
        // host2's agent goes; its address, which host0 peers with, now speaks whatever the test writes.
        rogue.Agent.Kill();
        var (from, to) = (lab.Workloads.Single(w => w.Host == target), lab.Workloads.Single(w => w.Host == healthy));
        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, TimeSpan.FromMilliseconds(20));
        var open = BgpOpen.Create(TopologyResources.HostAs, 90, RouterId(rogue.Address), [new MultiprotocolCapability(BgpFamily.Ipv4Unicast)]);

        // A header whose length is below the 19-byte minimum: Message Header Error / Bad Message Length, carrying the length.
        var badLength = Header(length: 18, BgpMessageType.Keepalive);
        var notification = await ResetAsync(rogue, target, open, badLength);
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)MessageHeaderSubcode.BadMessageLength), (notification.Code, notification.Subcode));
        Assert.Equal(new byte[] { 0, 18 }, notification.Data.AsSpan().ToArray());

        // A marker that is not all ones: Connection Not Synchronized.
        var badMarker = Header(length: 19, BgpMessageType.Keepalive);
        badMarker[3] = 0;
        notification = await ResetAsync(rogue, target, open, badMarker);
        Assert.Equal((BgpErrorCode.MessageHeader, (byte)MessageHeaderSubcode.ConnectionNotSynchronized), (notification.Code, notification.Subcode));

        // An UPDATE whose withdrawn-routes length runs past the message: nothing after it can be found, so the session goes.
        var overrun = Header(length: 23, BgpMessageType.Update);
        BinaryPrimitives.WriteUInt16BigEndian(overrun.AsSpan(19), 200);
        notification = await ResetAsync(rogue, target, open, overrun);
        Assert.Equal((BgpErrorCode.UpdateMessage, (byte)UpdateSubcode.MalformedAttributeList), (notification.Code, notification.Subcode));

        // An OPEN from the wrong AS: OPEN Message Error / Bad Peer AS.
        using (var wrongAs = await RawBgpPeer.ConnectAsync(rogue.Underlay.Namespace, target.Address,
            BgpOpen.Create(64999, 90, RouterId(rogue.Address), [new MultiprotocolCapability(BgpFamily.Ipv4Unicast)]), establish: false, TimeSpan.FromSeconds(30)))
        {
            notification = await wrongAs.ReceiveNotificationAsync(TimeSpan.FromSeconds(5))
                ?? throw new Xunit.Sdk.XunitException("the speaker closed without a NOTIFICATION for a wrong AS");
            Assert.Equal((BgpErrorCode.OpenMessage, (byte)OpenSubcode.BadPeerAs), (notification.Code, notification.Subcode));
        }

        // An invalid ORIGIN is an attribute error: RFC 7606 treats the route as withdrawn and keeps the session.
        using (var session = await RawBgpPeer.ConnectAsync(rogue.Underlay.Namespace, target.Address, open, establish: true, TimeSpan.FromSeconds(30)))
        {
            await session.SendAsync(Update(origin: 5, nextHop: rogue.Address));
            await session.SendAsync(Update(origin: 0, nextHop: rogue.Address, Marker));
            await LabAssert.WaitAsync(() => Task.FromResult(LabAssert.Learned(target).Any(r => r.Destination == Marker)), TimeSpan.FromSeconds(10),
                $"{Marker}, sent after the invalid ORIGIN on the same session, learned", lab);
            Assert.DoesNotContain(LabAssert.Learned(target), r => r.Destination == Injected);

            // The same session still works: the route with a valid ORIGIN is learned.
            await session.SendAsync(Update(origin: 0, nextHop: rogue.Address));
            await LabAssert.WaitAsync(() => Task.FromResult(LabAssert.Learned(target).Any(r => r.Destination == Injected)), TimeSpan.FromSeconds(10), $"{Injected} learned from the same session", lab);
        }

        // Through all of it, host0 kept its other session and its workload kept forwarding.
        await LabAssert.WaitAsync(() => Task.FromResult(ping.Sent > 20), TimeSpan.FromSeconds(10), "more than 20 echoes across it all", lab);
        var (sent, lost) = await ping.StopAsync();
        Assert.False(target.Agent.HasExited, "the agent died\n" + target.Agent.Tail());
        var status = await target.Agent.StatusAsync();
        Assert.Equal("up", status.Peers.Single(p => p.Address == healthy.Address.ToString()).State);
        Assert.True(status.Ready, "the agent is not ready");
        Assert.True(sent > 20, $"only {sent} pings were sent");
        Assert.Equal(0, lost);
    }

    /// <summary>Establishes a session as <paramref name="rogue"/>, writes <paramref name="bytes"/> and returns the NOTIFICATION it earns.</summary>
    private static async Task<BgpNotification> ResetAsync(ClusterHost rogue, ClusterHost target, BgpOpen open, byte[] bytes)
    {
        using var session = await RawBgpPeer.ConnectAsync(rogue.Underlay.Namespace, target.Address, open, establish: true, TimeSpan.FromSeconds(30));
        await session.SendAsync(bytes);
        var notification = await session.ReceiveNotificationAsync(TimeSpan.FromSeconds(5))
            ?? throw new Xunit.Sdk.XunitException("the speaker closed the session without a NOTIFICATION");
        Assert.True(await session.ClosedAsync(TimeSpan.FromSeconds(5)), "the speaker kept the connection open after its NOTIFICATION");
        return notification;
    }

    private static byte[] Header(int length, BgpMessageType type)
    {
        var bytes = new byte[Math.Max(length, BgpHeader.Length)];
        bytes.AsSpan(0, BgpHeader.MarkerLength).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), (ushort)length);
        bytes[18] = (byte)type;
        return bytes;
    }

    /// <summary>An iBGP UPDATE announcing a /26 (<see cref="Injected"/> unless told), written by hand so that its ORIGIN may be invalid.</summary>
    private static byte[] Update(byte origin, IPAddress nextHop, IpPrefix? prefix = null)
    {
        var announced = (prefix ?? Injected).Address.GetAddressBytes();
        byte[] attributes =
        [
            0x40, 1, 1, origin,                     // ORIGIN
            0x40, 2, 0,                             // AS_PATH, empty (iBGP)
            0x40, 3, 4, .. nextHop.GetAddressBytes(), // NEXT_HOP
            0x40, 5, 4, 0, 0, 0, 100,               // LOCAL_PREF 100
        ];
        byte[] nlri = [26, announced[0], announced[1], announced[2], announced[3]];
        var length = BgpHeader.Length + 2 + 2 + attributes.Length + nlri.Length;
        var message = Header(length, BgpMessageType.Update);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(19), 0);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(21), (ushort)attributes.Length);
        attributes.CopyTo(message, 23);
        nlri.CopyTo(message, 23 + attributes.Length);
        return message;
    }

    private static uint RouterId(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
