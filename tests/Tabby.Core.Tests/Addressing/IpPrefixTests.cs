using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;

namespace Tabby.Core.Tests.Addressing;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("10.20.1.0/26", 26)]
    [InlineData("0.0.0.0/0", 0)]
    [InlineData("10.20.1.2/32", 32)]
    [InlineData("192.168.0.0/16", 16)]
    public void An_IPv4_CIDR_parses_and_prints_back_the_same(string text, int length)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal(text, prefix.ToString());
        Assert.Equal(length, prefix.Length);
        Assert.False(prefix.IsIPv6);
        Assert.Equal(AddressFamily.InterNetwork, prefix.Family);
        Assert.Equal(32, prefix.MaxLength);
        Assert.Equal(IPAddress.Parse(text[..text.IndexOf('/', StringComparison.Ordinal)]), prefix.Address);
    }

    [Theory]
    [InlineData("2001:db8::/32", 32)]
    [InlineData("::/0", 0)]
    [InlineData("fd00:10:20::/48", 48)]
    [InlineData("2001:db8::1/128", 128)]
    public void An_IPv6_CIDR_parses_and_prints_back_the_same(string text, int length)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal(text, prefix.ToString());
        Assert.Equal(length, prefix.Length);
        Assert.True(prefix.IsIPv6);
        Assert.Equal(AddressFamily.InterNetworkV6, prefix.Family);
        Assert.Equal(128, prefix.MaxLength);
    }

    [Fact]
    public void A_CIDR_with_host_bits_set_is_refused_with_a_message_naming_the_network()
    {
        var v4 = Assert.Throws<FormatException>(() => IpPrefix.Parse("10.20.1.1/24"));
        var v6 = Assert.Throws<FormatException>(() => IpPrefix.Parse("2001:db8::1/64"));

        Assert.Equal("'10.20.1.1/24' has host bits set; the network is 10.20.1.0/24.", v4.Message);
        Assert.Equal("'2001:db8::1/64' has host bits set; the network is 2001:db8::/64.", v6.Message);
        Assert.False(IpPrefix.TryParse("10.20.1.1/24", out _));
    }

    [Theory]
    [InlineData("10.20.1.0", "the /length is missing")]
    [InlineData("10.20.1.0/", "'' is not a prefix length")]
    [InlineData("10.20.1.0/x", "'x' is not a prefix length")]
    [InlineData("10.20.1.0/-1", "'-1' is not a prefix length")]
    [InlineData("10.20.1.0/ 8", "' 8' is not a prefix length")]
    [InlineData("10.20.1.0/1000", "'1000' is not a prefix length")]
    [InlineData("10.20.1.0/33", "the prefix length 33 is over 32")]
    [InlineData("2001:db8::/129", "the prefix length 129 is over 128")]
    [InlineData("10.20.300.0/24", "'10.20.300.0' is not an IP address")]
    [InlineData("fe80::1%eth0/64", "'fe80::1%eth0' is not an IP address")]
    [InlineData("/24", "'' is not an IP address")]
    public void Malformed_CIDRs_are_refused_with_a_message_saying_what_is_wrong(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => IpPrefix.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(IpPrefix.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(IpPrefix.TryParse(null, out _));
        Assert.False(IpPrefix.TryParse((string?)null, null, out _));
    }

    [Fact]
    public void Masked_clears_host_bits_and_Host_makes_a_full_length_prefix()
    {
        Assert.Equal(IpPrefix.Parse("10.20.1.0/26"), IpPrefix.Masked(IPAddress.Parse("10.20.1.63"), 26));
        Assert.Equal(IpPrefix.Parse("2001:db8::/32"), IpPrefix.Masked(IPAddress.Parse("2001:db8:ffff::1"), 32));
        Assert.Equal(IpPrefix.Parse("10.20.1.2/32"), IpPrefix.Host(IPAddress.Parse("10.20.1.2")));
        Assert.Equal(IpPrefix.Parse("2001:db8::2/128"), IpPrefix.Host(IPAddress.Parse("2001:db8::2")));
        Assert.True(IpPrefix.Host(IPAddress.Parse("10.20.1.2")).IsHost);
        Assert.False(IpPrefix.Parse("10.20.1.0/26").IsHost);
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.Masked(IPAddress.Parse("10.0.0.0"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.Masked(IPAddress.Parse("::"), 129));
    }

    [Fact]
    public void V4_and_V6_refuse_host_bits_and_out_of_range_lengths()
    {
        var v4 = Assert.Throws<ArgumentException>(() => IpPrefix.V4(0x0A140101, 24));
        Assert.Contains("10.20.1.1/24 has host bits set", v4.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => IpPrefix.V6(UInt128.One, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.V4(0, 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.V6(UInt128.Zero, 129));
        Assert.Equal(IpPrefix.Parse("10.20.1.0/24"), IpPrefix.V4(0x0A140100, 24));
        Assert.Equal(0x0A140100u, IpPrefix.Parse("10.20.1.0/24").V4Bits);
    }

    [Fact]
    public void Contains_an_address_checks_the_network_bits_and_the_family()
    {
        var block = IpPrefix.Parse("10.20.1.0/26");
        var v6 = IpPrefix.Parse("2001:db8::/32");

        Assert.True(block.Contains(IPAddress.Parse("10.20.1.0")));
        Assert.True(block.Contains(IPAddress.Parse("10.20.1.63")));
        Assert.False(block.Contains(IPAddress.Parse("10.20.1.64")));
        Assert.False(block.Contains(IPAddress.Parse("::ffff:10.20.1.1")));
        Assert.True(v6.Contains(IPAddress.Parse("2001:db8:ffff::1")));
        Assert.False(v6.Contains(IPAddress.Parse("2001:db9::1")));
        Assert.False(v6.Contains(IPAddress.Parse("10.20.1.1")));
        Assert.True(IpPrefix.Parse("0.0.0.0/0").Contains(IPAddress.Parse("255.255.255.255")));
    }

    [Fact]
    public void Contains_a_prefix_is_true_for_itself_and_longer_prefixes_inside_it_only()
    {
        var pool = IpPrefix.Parse("10.20.0.0/16");

        Assert.True(pool.Contains(pool));
        Assert.True(pool.Contains(IpPrefix.Parse("10.20.1.0/26")));
        Assert.True(pool.Contains(IpPrefix.Parse("10.20.255.255/32")));
        Assert.False(pool.Contains(IpPrefix.Parse("10.0.0.0/8")));
        Assert.False(pool.Contains(IpPrefix.Parse("10.21.0.0/26")));
        Assert.False(pool.Contains(IpPrefix.Parse("::/0")));
        Assert.True(IpPrefix.Parse("::/0").Contains(IpPrefix.Parse("2001:db8::/32")));
        Assert.False(IpPrefix.Parse("2001:db8::/32").Contains(IpPrefix.Parse("2001:db8::/31")));
    }

    [Fact]
    public void Prefixes_sort_IPv4_before_IPv6_then_by_address_then_shorter_first()
    {
        var sorted = new[] { "2001:db8::/32", "10.20.1.0/26", "10.20.0.0/16", "::/0", "9.0.0.0/8", "10.20.0.0/24" }
            .Select(IpPrefix.Parse)
            .Order()
            .Select(p => p.ToString());

        Assert.Equal(["9.0.0.0/8", "10.20.0.0/16", "10.20.0.0/24", "10.20.1.0/26", "::/0", "2001:db8::/32"], sorted);
        Assert.True(IpPrefix.Parse("10.0.0.0/8") < IpPrefix.Parse("10.0.0.0/9"));
        Assert.True(IpPrefix.Parse("10.0.0.0/9") > IpPrefix.Parse("10.0.0.0/8"));
        Assert.True(IpPrefix.Parse("10.0.0.0/8") <= IpPrefix.Parse("10.0.0.0/8"));
        Assert.True(IpPrefix.Parse("255.0.0.0/8") < IpPrefix.Parse("::/0"));
    }

    [Fact]
    public void Equality_needs_the_same_family_address_and_length()
    {
        Assert.Equal(IpPrefix.Parse("10.0.0.0/8"), IpPrefix.Parse("10.0.0.0/8"));
        Assert.Equal(IpPrefix.Parse("10.0.0.0/8").GetHashCode(), IpPrefix.Parse("10.0.0.0/8").GetHashCode());
        Assert.NotEqual(IpPrefix.Parse("10.0.0.0/8"), IpPrefix.Parse("10.0.0.0/9"));
        Assert.NotEqual(IpPrefix.Parse("0.0.0.0/0"), IpPrefix.Parse("::/0"));
        Assert.True(IpPrefix.Parse("10.0.0.0/8") == IpPrefix.Parse("10.0.0.0/8"));
        Assert.True(IpPrefix.Parse("10.0.0.0/8") != IpPrefix.Parse("11.0.0.0/8"));
        Assert.False(IpPrefix.Parse("10.0.0.0/8").Equals("10.0.0.0/8"));
    }

    [Fact]
    public void Network_bytes_round_trip_and_FromNetworkBytes_masks_and_pads()
    {
        var v4 = IpPrefix.Parse("10.20.1.0/26");
        var v6 = IpPrefix.Parse("2001:db8:1::/48");
        Span<byte> buffer = stackalloc byte[16];

        Assert.Equal(new byte[] { 10, 20, 1, 0 }, v4.GetAddressBytes());
        Assert.Equal(4, v4.WriteAddressBytes(buffer));
        Assert.Equal(16, v6.WriteAddressBytes(buffer));
        Assert.Equal(v6, IpPrefix.FromNetworkBytes(buffer, 48, isV6: true));
        Assert.Equal(v4, IpPrefix.FromNetworkBytes([10, 20, 1, 63], 26, isV6: false));
        Assert.Equal(IpPrefix.Parse("10.0.0.0/8"), IpPrefix.FromNetworkBytes([10], 8, isV6: false)); // BGP NLRI carry only the prefix bytes
        Assert.Equal(IpPrefix.Parse("0.0.0.0/0"), IpPrefix.FromNetworkBytes([], 0, isV6: false));
    }

    [Fact]
    public void TryFormat_writes_the_text_or_reports_a_buffer_too_small()
    {
        var v4 = IpPrefix.Parse("10.20.1.0/26");
        var v6 = IpPrefix.Parse("2001:db8::/32");
        Span<char> big = stackalloc char[64];
        Span<char> small = stackalloc char[4];

        Assert.True(v4.TryFormat(big, out var written4, default, null));
        Assert.Equal("10.20.1.0/26", big[..written4].ToString());
        Assert.True(v6.TryFormat(big, out var written6, default, null));
        Assert.Equal("2001:db8::/32", big[..written6].ToString());
        Assert.False(v4.TryFormat(small, out _, default, null));
        Assert.False(v6.TryFormat(small, out _, default, null));
        Assert.Equal("10.20.1.0/26", $"{v4}");
    }

    [Theory]
    [InlineData("010.0.0.0/8")]
    [InlineData("10.0.0/24")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("167772160/8")]
    [InlineData("10/8")]
    [InlineData("10.0.0.256/32")]
    [InlineData("fe80::1%eth0/128")]
    public void Address_forms_that_Calico_refuses_are_refused_rather_than_read_as_another_network(string text)
    {
        Assert.False(IpPrefix.TryParse(text.AsSpan(), out _, out var error));
        Assert.Contains("is not an IP address", error, StringComparison.Ordinal);
    }
}
