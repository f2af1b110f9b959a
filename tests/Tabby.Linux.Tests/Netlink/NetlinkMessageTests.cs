using Tabby.Linux.Netlink;

namespace Tabby.Linux.Tests.Netlink;

public sealed class NetlinkMessageTests
{
    [Fact]
    public void TryRead_reads_the_header_fields_and_a_payload_bounded_by_the_length()
    {
        byte[] buffer =
        [
            20, 0, 0, 0,    // nlmsg_len: header and a 4-byte payload
            2, 0,           // nlmsg_type: NLMSG_ERROR
            0x00, 0x01,     // nlmsg_flags: NLM_F_CAPPED
            7, 0, 0, 0,     // nlmsg_seq
            0, 0, 0, 0,     // nlmsg_pid
            0xEF, 0xFF, 0xFF, 0xFF, // payload: error -17
        ];
        ReadOnlySpan<byte> data = buffer;

        Assert.True(NetlinkMessage.TryRead(ref data, out var message));

        Assert.Equal(2, message.Type);
        Assert.Equal(0x0100, message.Flags);
        Assert.Equal(7u, message.Sequence);
        Assert.Equal(-17, BitConverter.ToInt32(message.Payload));
        Assert.True(data.IsEmpty);
    }

    [Fact]
    public void TryRead_splits_back_to_back_messages_skipping_the_padding_of_an_unaligned_one()
    {
        var first = Message(type: 16, sequence: 1, payload: [1, 2, 3, 4, 5]);   // 21 bytes, padded to 24
        var second = Message(type: 17, sequence: 2, payload: [9]);
        ReadOnlySpan<byte> data = [.. first, 0, 0, 0, .. second];

        Assert.True(NetlinkMessage.TryRead(ref data, out var a));
        var aPayload = a.Payload.ToArray();
        Assert.True(NetlinkMessage.TryRead(ref data, out var b));
        var bPayload = b.Payload.ToArray();
        var third = NetlinkMessage.TryRead(ref data, out _);

        Assert.Equal((16, 1u), (a.Type, a.Sequence));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, aPayload);
        Assert.Equal((17, 2u), (b.Type, b.Sequence));
        Assert.Equal(new byte[] { 9 }, bPayload);
        Assert.False(third);
    }

    [Fact]
    public void An_unaligned_last_message_without_padding_is_read_and_ends_the_buffer()
    {
        ReadOnlySpan<byte> data = Message(type: 3, sequence: 5, payload: [0]);

        Assert.True(NetlinkMessage.TryRead(ref data, out var message));
        Assert.Equal(1, message.Payload.Length);
        Assert.True(data.IsEmpty);
    }

    [Fact]
    public void A_buffer_shorter_than_a_header_reads_nothing()
    {
        ReadOnlySpan<byte> data = new byte[15];

        Assert.False(NetlinkMessage.TryRead(ref data, out _));
        Assert.Equal(15, data.Length);
    }

    [Fact]
    public void A_length_below_the_header_size_reads_nothing_instead_of_looping()
    {
        var buffer = Message(type: 16, sequence: 1, payload: []);
        buffer[0] = 8;
        ReadOnlySpan<byte> data = buffer;

        Assert.False(NetlinkMessage.TryRead(ref data, out _));
    }

    [Fact]
    public void A_length_beyond_the_buffer_reads_nothing_instead_of_overrunning()
    {
        var buffer = Message(type: 16, sequence: 1, payload: [1, 2, 3, 4]);
        buffer[0] = 200;
        ReadOnlySpan<byte> data = buffer;

        Assert.False(NetlinkMessage.TryRead(ref data, out _));
    }

    [Fact]
    public void A_truncated_second_message_stops_the_walk_after_the_first()
    {
        var whole = Message(type: 16, sequence: 1, payload: [1, 2, 3, 4]);
        var cut = Message(type: 16, sequence: 2, payload: [1, 2, 3, 4])[..18];
        ReadOnlySpan<byte> data = [.. whole, .. cut];

        Assert.True(NetlinkMessage.TryRead(ref data, out var first));
        Assert.Equal(1u, first.Sequence);
        Assert.False(NetlinkMessage.TryRead(ref data, out _));
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads()
    {
        using var writer = new NetlinkWriter();
        writer.BeginMessage(type: 24, flags: 0x0405, sequence: 77);
        writer.Reserve(12);
        writer.AttributeU32(type: 15, value: 254);
        writer.EndMessage();
        writer.BeginMessage(type: 25, flags: 0x0001, sequence: 78);
        writer.EndMessage();
        ReadOnlySpan<byte> data = writer.Written;

        Assert.True(NetlinkMessage.TryRead(ref data, out var first));
        var firstPayload = first.Payload.ToArray();
        Assert.True(NetlinkMessage.TryRead(ref data, out var second));

        Assert.Equal((24, 0x0405, 77u), (first.Type, first.Flags, first.Sequence));
        Assert.Equal(20, firstPayload.Length);
        Assert.Equal(254u, BitConverter.ToUInt32(firstPayload, 16));
        Assert.Equal((25, 78u), (second.Type, second.Sequence));
        Assert.True(second.Payload.IsEmpty);
        Assert.True(data.IsEmpty);
    }

    private static byte[] Message(ushort type, uint sequence, byte[] payload)
    {
        var bytes = new byte[16 + payload.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), (uint)bytes.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), type);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), sequence);
        payload.CopyTo(bytes, 16);
        return bytes;
    }
}
