using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Neighbours;

namespace Tabby.Linux.Tests.Netlink;

public sealed class NeighbourCodecTests
{
    [Fact]
    public void A_permanent_neighbour_maps_a_tunnel_address_to_a_MAC_on_one_device()
    {
        using var writer = new NetlinkWriter();
        var neighbour = new Neighbour(9, IPAddress.Parse("10.20.2.1"), MacAddress.Parse("66:00:00:00:00:02"));

        NeighbourCodec.Write(writer, type: 28, flags: 0x0501, neighbour, sequence: 1);

        byte[] expected =
        [
            48, 0, 0, 0,                // nlmsg_len
            28, 0,                      // RTM_NEWNEIGH
            0x01, 0x05,                 // REQUEST | REPLACE | CREATE
            1, 0, 0, 0,                 // seq
            0, 0, 0, 0,                 // pid
            2,                          // ndm_family AF_INET
            0, 0, 0,                    // pad
            9, 0, 0, 0,                 // ndm_ifindex
            0x80, 0,                    // ndm_state NUD_PERMANENT: never aged out, never probed
            0,                          // ndm_flags
            0,                          // ndm_type
            8, 0, 1, 0, 10, 20, 2, 1,   // NDA_DST
            10, 0, 2, 0, 0x66, 0, 0, 0, 0, 2, 0, 0, // NDA_LLADDR
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void A_neighbour_decodes_back_with_its_state()
    {
        using var writer = new NetlinkWriter();
        var neighbour = new Neighbour(9, IPAddress.Parse("fd00::2"), MacAddress.Parse("66:00:00:00:00:02")) { State = NeighbourState.Reachable };
        NeighbourCodec.Write(writer, type: 28, flags: 0, neighbour, sequence: 1);

        ReadOnlySpan<byte> data = writer.Written;
        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        Assert.True(NeighbourCodec.TryParse(message, out var decoded));

        Assert.Equal(neighbour, decoded);
    }
}
