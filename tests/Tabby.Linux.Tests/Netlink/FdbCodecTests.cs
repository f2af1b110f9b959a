using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Linux.Tests.Netlink;

public sealed class FdbCodecTests
{
    private static readonly FdbEntry s_entry = new(7, MacAddress.Parse("66:00:00:00:00:02"), IPAddress.Parse("192.168.0.3"));

    [Fact]
    public void A_permanent_FDB_entry_names_the_remote_VTEP_with_NDA_DST_in_the_devices_own_table()
    {
        using var writer = new NetlinkWriter();

        FdbCodec.Write(writer, type: 28, flags: 0x0501, s_entry, sequence: 1);

        byte[] expected =
        [
            48, 0, 0, 0,                // nlmsg_len
            28, 0,                      // RTM_NEWNEIGH
            0x01, 0x05,                 // REQUEST | REPLACE | CREATE
            1, 0, 0, 0,                 // seq
            0, 0, 0, 0,                 // pid
            7,                          // ndm_family AF_BRIDGE
            0, 0, 0,                    // pad
            7, 0, 0, 0,                 // ndm_ifindex: the VXLAN device
            0x80, 0,                    // ndm_state NUD_PERMANENT
            0x02,                       // ndm_flags NTF_SELF
            0,                          // ndm_type
            10, 0, 2, 0, 0x66, 0, 0, 0, 0, 2, 0, 0, // NDA_LLADDR: the remote VTEP's MAC
            8, 0, 1, 0, 192, 168, 0, 3,             // NDA_DST: its underlay address
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void A_delete_is_the_same_entry_as_RTM_DELNEIGH()
    {
        using var writer = new NetlinkWriter();

        FdbCodec.Write(writer, type: 29, flags: 0x0001, s_entry, sequence: 1);

        var bytes = writer.Written.ToArray();
        Assert.Equal(29, BitConverter.ToUInt16(bytes, 4));
        Assert.Equal(1, BitConverter.ToUInt16(bytes, 6));
        Assert.Equal(48, bytes.Length);
    }

    [Fact]
    public void An_entry_decodes_back_with_its_device_MAC_destination_and_state()
    {
        using var writer = new NetlinkWriter();
        FdbCodec.Write(writer, type: 28, flags: 0, s_entry with { Permanent = false }, sequence: 1);

        Assert.True(Decode(writer.Written.ToArray(), out var decoded));

        Assert.Equal(s_entry with { Permanent = false }, decoded);
    }

    [Fact]
    public void An_IP_neighbour_or_an_entry_without_a_MAC_is_not_an_FDB_entry()
    {
        using var writer = new NetlinkWriter();
        FdbCodec.Write(writer, type: 28, flags: 0, s_entry, sequence: 1);
        var inet = writer.Written.ToArray();
        inet[16] = 2; // AF_INET
        var noMac = writer.Written.ToArray();
        noMac[16 + 12 + 2] = 9; // NDA_LLADDR -> an attribute type nobody reads

        Assert.False(Decode(inet, out _));
        Assert.False(Decode(noMac, out _));
    }

    private static bool Decode(byte[] bytes, out FdbEntry entry)
    {
        ReadOnlySpan<byte> data = bytes;
        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        return FdbCodec.TryParse(message, out entry);
    }
}
