using System.Net;
using System.Net.Sockets;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Capture;
using Tabby.Linux.Netlink;

namespace Tabby.Integration.Tests.Linux;

public sealed class PacketTapTests
{
    [Fact]
    public void A_tap_sees_a_packet_sent_in_its_namespace_with_the_kernels_receive_time_and_nothing_from_elsewhere()
    {
        using var namespaces = new NamespaceSet("tap");
        var ns = namespaces.Create("a");
        var other = namespaces.Create("b");
        foreach (var n in new[] { ns, other })
        {
            using var netlink = RtNetlinkClient.Open(n);
            netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);
        }
        using var tap = PacketTap.Open(ns, TimeSpan.FromMilliseconds(50));
        var before = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

        other.Run(() => Send("elsewhere"));
        ns.Run(() => Send("tapped"));

        var buffer = new byte[2048];
        var payloads = new List<string>();
        long? stamp = null;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !payloads.Contains("tapped"))
        {
            var n = tap.Read(buffer);
            // Cooked IPv4/UDP on lo: 20 bytes of IP header, 8 of UDP, then the payload.
            if (n > 28 && buffer[0] >> 4 == 4 && buffer[9] == 17)
            {
                payloads.Add(System.Text.Encoding.ASCII.GetString(buffer, 28, n - 28));
                stamp = tap.LastReceivedNs();
            }
        }

        Assert.Contains("tapped", payloads);
        Assert.DoesNotContain("elsewhere", payloads);
        var after = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        Assert.NotNull(stamp);
        Assert.InRange(stamp!.Value, before, after);
    }

    [Fact]
    public void A_tap_that_is_not_read_counts_what_its_full_buffer_dropped_and_a_second_take_starts_from_zero()
    {
        using var namespaces = new NamespaceSet("tapdrop");
        var ns = namespaces.Create("a");
        using (var netlink = RtNetlinkClient.Open(ns))
            netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);
        // A forced buffer is doubled and kept above the kernel's minimum: 8 KB, which about ten packets fill. Every
        // datagram makes four on lo (it goes out and comes back in, and so does the port unreachable, as nothing
        // listens on port 9), so a thousand datagrams overflow it hundreds of times over.
        using var tap = PacketTap.Open(ns, TimeSpan.FromMilliseconds(50), bufferBytes: 4096);
        Assert.Equal(0, tap.TakeDrops());

        ns.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
                Send("flood");
        });

        // The outgoing copies are counted during the sends; the incoming ones in the loopback's softirq, which may
        // run a moment later.
        var drops = 0L;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (drops == 0 && DateTime.UtcNow < deadline)
            drops = tap.TakeDrops();
        // Not every packet: the first one found the buffer empty. (The kernel's other counter, packets, adds the
        // drops in, and would be all of them.)
        Assert.InRange(drops, 1, 4 * 1000 - 1);
        // Read resets the kernel's count: without the reset this would be at least the first figure. A straggler
        // from the softirq could still land after the first take, so wait for a zero rather than expect one at once.
        var again = tap.TakeDrops();
        while (again != 0 && DateTime.UtcNow < deadline)
            again = tap.TakeDrops();
        Assert.Equal(0, again);
    }

    private static void Send(string text)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.SendTo(System.Text.Encoding.ASCII.GetBytes(text), new IPEndPoint(IPAddress.Loopback, 9));
    }
}
