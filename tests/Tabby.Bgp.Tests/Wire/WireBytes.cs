using System.Buffers.Binary;
using System.Globalization;

namespace Tabby.Bgp.Tests.Wire;

/// <summary>Helpers that build message bytes from hex so tests can be written straight from the RFC diagrams.</summary>
internal static class WireBytes
{
    /// <summary>Parses hex with any whitespace, e.g. "FF 00 1a".</summary>
    public static byte[] Hex(string hex)
    {
        var clean = string.Concat(hex.Where(c => !char.IsWhiteSpace(c)));
        return Convert.FromHexString(clean);
    }

    /// <summary>16 bytes of 0xFF, length, type, then the body.</summary>
    public static byte[] Message(byte type, byte[] body)
    {
        var m = new byte[19 + body.Length];
        m.AsSpan(0, 16).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(16), (ushort)m.Length);
        m[18] = type;
        body.CopyTo(m, 19);
        return m;
    }

    /// <summary>An UPDATE from its three variable fields, with both length fields computed.</summary>
    public static byte[] Update(string withdrawnHex, string attributesHex, string nlriHex)
    {
        var w = Hex(withdrawnHex);
        var a = Hex(attributesHex);
        var n = Hex(nlriHex);
        var body = new byte[2 + w.Length + 2 + a.Length + n.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)w.Length);
        w.CopyTo(body, 2);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2 + w.Length), (ushort)a.Length);
        a.CopyTo(body, 4 + w.Length);
        n.CopyTo(body, 4 + w.Length + a.Length);
        return Message(2, body);
    }

    public static string ToHex(byte[] bytes) => Convert.ToHexString(bytes);

    public static uint Ip(string dotted)
    {
        var p = dotted.Split('.').Select(x => uint.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
    }
}
