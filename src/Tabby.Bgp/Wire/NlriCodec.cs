using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>Encodes and decodes the length-prefixed prefix lists of NLRI and withdrawn-routes fields (RFC 4271 4.3).</summary>
internal static class NlriCodec
{
    public static int WireSize(IpPrefix prefix) => 1 + ((prefix.Length + 7) >> 3);

    public static void Write(ByteWriter w, IpPrefix prefix)
    {
        var n = (prefix.Length + 7) >> 3;
        var span = w.Take(1 + n);
        span[0] = (byte)prefix.Length;
        if (!prefix.IsIPv6)
        {
            // Packing 100k IPv4 routes runs this per prefix; skip the generic 16-byte path.
            var v = prefix.V4Bits;
            for (var i = 0; i < n; i++)
                span[1 + i] = (byte)(v >> (24 - (8 * i)));
            return;
        }
        Span<byte> addr = stackalloc byte[16];
        prefix.WriteAddressBytes(addr);
        addr[..n].CopyTo(span[1..]);
    }

    /// <summary>
    /// Parses a prefix list. A first pass validates and counts so the result array is allocated once,
    /// at its exact size, and never larger than the input could justify.
    /// </summary>
    public static ValueList<IpPrefix> Parse(ReadOnlySpan<byte> data, bool ipv6, UpdateSubcode onError, string field)
    {
        if (data.IsEmpty)
            return default;
        var max = ipv6 ? 128 : 32;
        var count = 0;
        for (var pos = 0; pos < data.Length; count++)
        {
            var len = data[pos];
            if (len > max)
                throw BgpWireException.Update(onError, $"{field}: prefix length {len} is over {max}");
            pos += 1 + ((len + 7) >> 3);
            if (pos > data.Length)
                throw BgpWireException.Update(onError, $"{field}: the last prefix runs past the end");
        }
        var result = new IpPrefix[count];
        var p = 0;
        for (var i = 0; i < count; i++)
        {
            int len = data[p];
            var n = (len + 7) >> 3;
            var bytes = data.Slice(p + 1, n);
            if (ipv6)
            {
                result[i] = IpPrefix.FromNetworkBytes(bytes, len, true);
            }
            else
            {
                // Inline IPv4 assembly: this loop runs once per prefix on the 100k-route path.
                uint a = 0;
                for (var j = 0; j < n; j++)
                    a |= (uint)bytes[j] << (24 - (8 * j));
                var mask = len == 0 ? 0u : uint.MaxValue << (32 - len);
                result[i] = IpPrefix.V4(a & mask, len);
            }
            p += 1 + n;
        }
        return new ValueList<IpPrefix>(result);
    }
}
