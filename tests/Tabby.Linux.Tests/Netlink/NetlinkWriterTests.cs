using System.Net;
using Tabby.Linux.Netlink;

namespace Tabby.Linux.Tests.Netlink;

public sealed class NetlinkWriterTests
{
    [Fact]
    public void A_message_header_carries_length_type_flags_sequence_and_a_zero_port()
    {
        using var writer = new NetlinkWriter();

        writer.BeginMessage(type: 24, flags: 0x0605, sequence: 0x01020304);
        writer.EndMessage();

        byte[] expected =
        [
            16, 0, 0, 0,    // nlmsg_len: the header alone
            24, 0,          // nlmsg_type: RTM_NEWROUTE
            0x05, 0x06,     // nlmsg_flags: REQUEST|ACK|EXCL|CREATE
            4, 3, 2, 1,     // nlmsg_seq
            0, 0, 0, 0,     // nlmsg_pid: the kernel
        ];
        Assert.Equal(expected, writer.Written.ToArray());
        Assert.Equal(1, writer.MessageCount);
    }

    [Fact]
    public void An_attribute_is_length_type_value_padded_to_four_bytes_and_the_length_excludes_the_padding()
    {
        using var writer = new NetlinkWriter();

        writer.AttributeU8(type: 7, value: 0xAB);
        writer.AttributeU16(type: 8, value: 0x0102);
        writer.AttributeU32(type: 9, value: 0x01020304);

        byte[] expected =
        [
            5, 0, 7, 0,  0xAB, 0, 0, 0,     // nla_len 5, nla_type 7, one byte and three of padding
            6, 0, 8, 0,  0x02, 0x01, 0, 0,  // nla_len 6, a u16 in host order, two of padding
            8, 0, 9, 0,  4, 3, 2, 1,        // nla_len 8, a u32 in host order, no padding
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void A_string_attribute_is_NUL_terminated_and_padded()
    {
        using var writer = new NetlinkWriter();

        writer.AttributeString(type: 3, value: "eth0");

        byte[] expected =
        [
            9, 0, 3, 0,                 // nla_len 4 + "eth0" + NUL, IFLA_IFNAME
            (byte)'e', (byte)'t', (byte)'h', (byte)'0',
            0, 0, 0, 0,                 // the NUL and three bytes of padding
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void A_big_endian_u16_attribute_is_in_network_order()
    {
        using var writer = new NetlinkWriter();

        writer.AttributeU16BigEndian(type: 15, value: 4789);

        Assert.Equal(new byte[] { 6, 0, 15, 0, 0x12, 0xB5, 0, 0 }, writer.Written.ToArray());
    }

    [Fact]
    public void Address_attributes_carry_four_bytes_for_IPv4_and_sixteen_for_IPv6_in_network_order()
    {
        using var writer = new NetlinkWriter();

        writer.AttributeAddress(type: 1, IPAddress.Parse("10.20.1.2"));
        writer.AttributeAddress(type: 1, IPAddress.Parse("2001:db8::1"));

        var bytes = writer.Written.ToArray();
        Assert.Equal(new byte[] { 8, 0, 1, 0, 10, 20, 1, 2 }, bytes[..8]);
        Assert.Equal(new byte[] { 20, 0, 1, 0 }, bytes[8..12]);
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), bytes[12..28]);
        Assert.Equal(28, bytes.Length);
    }

    [Fact]
    public void A_nested_attribute_has_the_nested_flag_and_a_length_covering_its_children()
    {
        using var writer = new NetlinkWriter();

        var outer = writer.BeginNested(type: 18);
        writer.AttributeString(type: 1, value: "veth");
        var inner = writer.BeginNested(type: 2);
        writer.AttributeU8(type: 7, value: 0);
        writer.EndNested(inner);
        writer.EndNested(outer);

        byte[] expected =
        [
            28, 0, 18, 0x80,    // IFLA_LINKINFO | NLA_F_NESTED, 28 bytes with its children
            9, 0, 1, 0,         // IFLA_INFO_KIND "veth"
            (byte)'v', (byte)'e', (byte)'t', (byte)'h', 0, 0, 0, 0,
            12, 0, 2, 0x80,     // IFLA_INFO_DATA | NLA_F_NESTED
            5, 0, 7, 0, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void A_legacy_nest_has_no_nested_flag()
    {
        using var writer = new NetlinkWriter();

        var nest = writer.BeginNestedLegacy(type: 9);
        writer.AttributeU32(type: 5, value: 1);
        writer.EndNested(nest);

        Assert.Equal(new byte[] { 12, 0, 9, 0, 8, 0, 5, 0, 1, 0, 0, 0 }, writer.Written.ToArray());
    }

    [Fact]
    public void Reserve_returns_zeroed_space_even_over_bytes_a_previous_use_left_behind()
    {
        using var writer = new NetlinkWriter();
        writer.Attribute(type: 1, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        writer.Reset();

        var header = writer.Reserve(10);

        Assert.Equal(10, header.Length);
        Assert.Equal(12, writer.Length); // aligned to four
        Assert.All(writer.Written.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Messages_are_written_back_to_back_each_with_its_own_length()
    {
        using var writer = new NetlinkWriter();

        writer.BeginMessage(type: 16, flags: 1, sequence: 1);
        writer.AttributeU8(type: 1, value: 1);
        writer.EndMessage();
        writer.BeginMessage(type: 17, flags: 1, sequence: 2);
        writer.EndMessage();

        var bytes = writer.Written.ToArray();
        Assert.Equal(2, writer.MessageCount);
        Assert.Equal(40, bytes.Length);
        Assert.Equal(24, BitConverter.ToInt32(bytes, 0));   // header + one padded attribute
        Assert.Equal(16, BitConverter.ToInt32(bytes, 24));  // the second starts right after
        Assert.Equal(17, BitConverter.ToUInt16(bytes, 28));
        Assert.Equal(2u, BitConverter.ToUInt32(bytes, 32));
    }

    [Fact]
    public void Growing_past_the_initial_capacity_keeps_what_was_written()
    {
        using var writer = new NetlinkWriter(initialCapacity: 16);
        var big = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();

        writer.BeginMessage(type: 24, flags: 1, sequence: 9);
        writer.Attribute(type: 1, big);
        writer.EndMessage();

        var bytes = writer.Written.ToArray();
        Assert.Equal(16 + 4 + 3000, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(9u, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(big, bytes[20..3020]);
    }

    [Fact]
    public void Truncate_abandons_a_half_built_message_so_a_new_one_can_begin()
    {
        using var writer = new NetlinkWriter();
        writer.BeginMessage(type: 16, flags: 1, sequence: 1);
        writer.EndMessage();
        var mark = writer.Length;
        writer.BeginMessage(type: 24, flags: 1, sequence: 2);
        writer.AttributeU32(type: 1, value: 1);

        writer.Truncate(mark);
        writer.BeginMessage(type: 25, flags: 1, sequence: 3);
        writer.EndMessage();

        var bytes = writer.Written.ToArray();
        Assert.Equal(32, bytes.Length);
        Assert.Equal(25, BitConverter.ToUInt16(bytes, 20));
    }

    [Fact]
    public void PatchUInt16_rewrites_flags_in_place()
    {
        using var writer = new NetlinkWriter();
        writer.BeginMessage(type: 24, flags: 0x0001, sequence: 1);
        writer.EndMessage();

        writer.PatchUInt16(6, 0x0005);

        Assert.Equal(0x0005, BitConverter.ToUInt16(writer.Written.ToArray(), 6));
    }

    [Fact]
    public void Ending_a_message_that_was_not_begun_or_beginning_one_inside_another_is_a_programming_error()
    {
        using var writer = new NetlinkWriter();

        Assert.Throws<InvalidOperationException>(writer.EndMessage);
        writer.BeginMessage(type: 16, flags: 1, sequence: 1);
        Assert.Throws<InvalidOperationException>(() => writer.BeginMessage(type: 16, flags: 1, sequence: 2));
    }

    [Fact]
    public void An_attribute_too_long_for_its_16_bit_length_is_refused_instead_of_written_with_a_wrapped_length()
    {
        using var writer = new NetlinkWriter();

        var error = Assert.Throws<ArgumentException>(() => writer.Attribute(type: 1, new byte[ushort.MaxValue]));

        Assert.Contains("65535", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void A_nest_too_long_for_its_16_bit_length_is_refused_instead_of_written_with_a_wrapped_length()
    {
        using var writer = new NetlinkWriter();
        var nest = writer.BeginNested(type: 9);
        for (var i = 0; i < 20; i++)
            writer.Attribute(type: 1, new byte[4000]);

        Assert.Throws<InvalidOperationException>(() => writer.EndNested(nest));
    }

    [Fact]
    public void Align_rounds_up_to_a_multiple_of_four()
    {
        Assert.Equal([0, 4, 4, 4, 4, 8, 20], new[] { 0, 1, 2, 3, 4, 5, 17 }.Select(NetlinkWriter.Align));
    }
}
