using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Linux.Tests.Netlink;

public sealed class VxlanCodecTests
{
    private static readonly VxlanSpec s_calico = new("vxlan.calico", 4096)
    {
        Port = 4789,
        Learning = false,
        ParentIndex = 2,
        Local = IPAddress.Parse("192.168.0.2"),
        Mtu = 1450,
        Mac = MacAddress.Parse("66:0a:0b:0c:0d:0e"),
    };

    [Fact]
    public void A_VTEP_is_created_with_its_VXLAN_settings_nested_in_IFLA_INFO_DATA()
    {
        using var writer = new NetlinkWriter();

        VxlanCodec.WriteCreate(writer, s_calico, sequence: 1);

        byte[] expected =
        [
            132, 0, 0, 0,               // nlmsg_len
            16, 0,                      // RTM_NEWLINK
            0x01, 0x06,                 // REQUEST | EXCL | CREATE
            1, 0, 0, 0,                 // seq
            0, 0, 0, 0,                 // pid
            0, 0, 0, 0,                 // ifi_family AF_UNSPEC, pad, ifi_type
            0, 0, 0, 0,                 // ifi_index 0: a new link
            0, 0, 0, 0,                 // ifi_flags
            0, 0, 0, 0,                 // ifi_change
            17, 0, 3, 0,                // IFLA_IFNAME, 13 bytes
            (byte)'v', (byte)'x', (byte)'l', (byte)'a', (byte)'n', (byte)'.', (byte)'c', (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'o', 0, 0, 0, 0,
            8, 0, 4, 0, 0xaa, 0x05, 0, 0,                    // IFLA_MTU 1450
            10, 0, 1, 0, 0x66, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0, 0, // IFLA_ADDRESS
            60, 0, 18, 0x80,            // IFLA_LINKINFO, nested
            10, 0, 1, 0, (byte)'v', (byte)'x', (byte)'l', (byte)'a', (byte)'n', 0, 0, 0, // IFLA_INFO_KIND "vxlan"
            44, 0, 2, 0x80,             // IFLA_INFO_DATA, nested
            8, 0, 1, 0, 0x00, 0x10, 0, 0,                    // IFLA_VXLAN_ID 4096
            6, 0, 15, 0, 0x12, 0xb5, 0, 0,                   // IFLA_VXLAN_PORT 4789, network byte order
            5, 0, 7, 0, 0, 0, 0, 0,                          // IFLA_VXLAN_LEARNING off
            8, 0, 3, 0, 2, 0, 0, 0,                          // IFLA_VXLAN_LINK: the underlay device
            8, 0, 4, 0, 192, 168, 0, 2,                      // IFLA_VXLAN_LOCAL
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void Without_a_parent_local_address_MTU_or_MAC_only_the_id_port_and_learning_are_sent()
    {
        using var writer = new NetlinkWriter();

        VxlanCodec.WriteCreate(writer, new VxlanSpec("vx0", 7) { Learning = true }, sequence: 1);

        var bytes = writer.Written.ToArray();
        // Header, ifinfomsg, IFLA_IFNAME "vx0" (8), IFLA_LINKINFO (4 + kind 12 + data 4 + 8 + 8 + 8).
        Assert.Equal(16 + 16 + 8 + 44, bytes.Length);
        Assert.Equal(new byte[] { 5, 0, 7, 0, 1 }, bytes[^8..^3]); // IFLA_VXLAN_LEARNING on, last
    }

    [Fact]
    public void The_VXLAN_data_of_a_link_reply_decodes_back_to_the_settings()
    {
        using var writer = new NetlinkWriter();
        VxlanCodec.WriteCreate(writer, s_calico, sequence: 1);
        var bytes = writer.Written.ToArray();
        // A reply carries the same ifinfomsg and attributes; only the kernel fills in the index.
        BitConverter.TryWriteBytes(bytes.AsSpan(16 + 4), 9);

        ReadOnlySpan<byte> data = bytes;
        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        Assert.True(LinkCodec.TryParse(message, out var link));

        Assert.Equal(9, link.Index);
        Assert.Equal("vxlan", link.Kind);
        Assert.Equal(1450, link.Mtu);
        Assert.Equal(new VxlanInfo(4096, 4789, IPAddress.Parse("192.168.0.2"), 2, Learning: false), link.Vxlan);
    }

    [Fact]
    public void A_link_of_another_kind_has_no_VXLAN_data()
    {
        using var writer = new NetlinkWriter();
        VxlanCodec.WriteCreate(writer, s_calico, sequence: 1);
        var bytes = writer.Written.ToArray();
        "bridg"u8.CopyTo(bytes.AsSpan(16 + 16 + 20 + 8 + 12 + 4 + 4)); // IFLA_INFO_KIND "vxlan" -> "bridg"

        ReadOnlySpan<byte> data = bytes;
        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        Assert.True(LinkCodec.TryParse(message, out var link));

        Assert.Equal("bridg", link.Kind);
        Assert.Null(link.Vxlan);
    }

    [Fact]
    public void Truncated_VXLAN_data_decodes_what_is_whole_and_defaults_the_rest()
    {
        byte[] data =
        [
            8, 0, 1, 0, 42, 0, 0, 0,    // IFLA_VXLAN_ID 42
            6, 0, 15, 0, 0x12,          // IFLA_VXLAN_PORT cut short: the walk ends here
        ];

        var info = VxlanCodec.Parse(data);

        Assert.Equal(new VxlanInfo(42, 0, null, 0, false), info);
    }
}
