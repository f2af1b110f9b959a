using System.Net;
using Tabby.Linux.Netlink;

namespace Tabby.Linux.Tests.Netlink;

public sealed class AttributeReaderTests
{
    [Fact]
    public void Attributes_are_read_in_order_skipping_padding()
    {
        byte[] attributes =
        [
            5, 0, 1, 0,  0xAA, 0, 0, 0,         // type 1, one byte, three of padding
            8, 0, 2, 0,  1, 0, 0, 0,            // type 2, a u32
            6, 0, 3, 0,  0xBB, 0xCC, 0, 0,      // type 3, two bytes, two of padding
        ];
        var reader = new AttributeReader(attributes);
        var seen = new List<(ushort Type, byte[] Value)>();

        while (reader.TryRead(out var type, out var value))
            seen.Add((type, value.ToArray()));

        Assert.Equal(3, seen.Count);
        Assert.Equal((ushort)1, seen[0].Type);
        Assert.Equal(new byte[] { 0xAA }, seen[0].Value);
        Assert.Equal((ushort)2, seen[1].Type);
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, seen[1].Value);
        Assert.Equal((ushort)3, seen[2].Type);
        Assert.Equal(new byte[] { 0xBB, 0xCC }, seen[2].Value);
    }

    [Fact]
    public void An_unpadded_last_attribute_is_read()
    {
        var reader = new AttributeReader([5, 0, 4, 0, 0x11]);

        Assert.True(reader.TryRead(out var type, out var value));
        Assert.Equal(4, type);
        Assert.Equal(0x11, value[0]);
        Assert.False(reader.TryRead(out _, out _));
    }

    [Fact]
    public void The_nested_and_byte_order_flags_are_stripped_from_the_type()
    {
        var reader = new AttributeReader([4, 0, 18, 0x80, 4, 0, 15, 0x40, 4, 0, 3, 0xC0]);
        var types = new List<ushort>();

        while (reader.TryRead(out var type, out _))
            types.Add(type);

        Assert.Equal([18, 15, 3], types);
    }

    [Fact]
    public void A_nested_attribute_is_walked_with_a_reader_over_its_value()
    {
        using var writer = new NetlinkWriter();
        var info = writer.BeginNested(type: 18);
        writer.AttributeString(type: 1, value: "vxlan");
        var data = writer.BeginNested(type: 2);
        writer.AttributeU32(type: 1, value: 42);
        writer.AttributeU16BigEndian(type: 15, value: 4789);
        writer.EndNested(data);
        writer.EndNested(info);
        writer.AttributeU32(type: 4, value: 1500);

        var outer = new AttributeReader(writer.Written);
        Assert.True(outer.TryRead(out var infoType, out var infoValue));
        var inner = new AttributeReader(infoValue);
        Assert.True(inner.TryRead(out var kindType, out var kindValue));
        var kind = AttributeReader.String(kindValue);
        Assert.True(inner.TryRead(out var dataType, out var dataValue));
        var innermost = new AttributeReader(dataValue);
        Assert.True(innermost.TryRead(out _, out var idValue));
        Assert.True(innermost.TryRead(out _, out var portValue));
        Assert.False(innermost.TryRead(out _, out _));
        Assert.False(inner.TryRead(out _, out _));
        Assert.True(outer.TryRead(out var mtuType, out var mtuValue));

        Assert.Equal((18, 1, 2, 4), (infoType, kindType, dataType, mtuType));
        Assert.Equal("vxlan", kind);
        Assert.Equal(42u, AttributeReader.U32(idValue));
        Assert.Equal(4789, AttributeReader.U16BigEndian(portValue));
        Assert.Equal(1500, AttributeReader.I32(mtuValue));
        Assert.False(outer.TryRead(out _, out _));
    }

    [Fact]
    public void A_length_beyond_the_remaining_bytes_ends_the_walk_without_overrunning()
    {
        var reader = new AttributeReader([8, 0, 1, 0, 1, 0, 0, 0, 200, 0, 2, 0, 1, 2, 3, 4]);

        Assert.True(reader.TryRead(out _, out _));
        Assert.False(reader.TryRead(out _, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_length_below_the_attribute_header_ends_the_walk_instead_of_looping(int length)
    {
        var reader = new AttributeReader([(byte)length, 0, 1, 0, 8, 0, 2, 0, 1, 0, 0, 0]);

        Assert.False(reader.TryRead(out _, out _));
    }

    [Fact]
    public void A_tail_shorter_than_an_attribute_header_is_ignored()
    {
        var reader = new AttributeReader([8, 0, 1, 0, 1, 0, 0, 0, 4, 0, 2]);

        Assert.True(reader.TryRead(out _, out _));
        Assert.False(reader.TryRead(out _, out _));
    }

    [Fact]
    public void An_empty_run_has_no_attributes()
    {
        var reader = new AttributeReader([]);

        Assert.False(reader.TryRead(out _, out _));
    }

    [Fact]
    public void Number_helpers_return_zero_for_values_too_short_to_hold_them()
    {
        Assert.Equal(0u, AttributeReader.U32([1, 2, 3]));
        Assert.Equal(0, AttributeReader.I32([1, 2, 3]));
        Assert.Equal(0, AttributeReader.U16BigEndian([1]));
        Assert.Equal(0, AttributeReader.U8([]));
        Assert.Equal(-1, AttributeReader.I32([0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Equal(0x0102, AttributeReader.U16BigEndian([1, 2]));
        Assert.Equal(7, AttributeReader.U8([7, 8]));
    }

    [Fact]
    public void String_stops_at_the_first_NUL_and_accepts_a_value_without_one()
    {
        Assert.Equal("eth0", AttributeReader.String("eth0\0\0\0"u8));
        Assert.Equal("eth0", AttributeReader.String("eth0"u8));
        Assert.Equal(string.Empty, AttributeReader.String("\0eth0"u8));
    }

    [Fact]
    public void Address_reads_four_or_sixteen_bytes_and_nothing_else()
    {
        Assert.Equal(IPAddress.Parse("10.20.1.2"), AttributeReader.Address([10, 20, 1, 2]));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), AttributeReader.Address(IPAddress.Parse("2001:db8::1").GetAddressBytes()));
        Assert.Null(AttributeReader.Address([10, 20, 1]));
        Assert.Null(AttributeReader.Address(new byte[6]));
    }
}
