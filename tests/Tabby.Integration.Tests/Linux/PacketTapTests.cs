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

    private static void Send(string text)
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.SendTo(System.Text.Encoding.ASCII.GetBytes(text), new IPEndPoint(IPAddress.Loopback, 9));
    }
}
