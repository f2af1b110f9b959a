using Tabby.Core.Addressing;

namespace Tabby.Core.Tests.Addressing;

public sealed class MacAddressTests
{
    [Theory]
    [InlineData("02:00:5e:10:aa:ff", "02:00:5e:10:aa:ff")]
    [InlineData("02:00:5E:10:AA:FF", "02:00:5e:10:aa:ff")]
    [InlineData("02-00-5e-10-aa-ff", "02:00:5e:10:aa:ff")]
    public void A_MAC_parses_and_prints_lower_case_with_colons_as_ip_link_does(string text, string printed)
    {
        var mac = MacAddress.Parse(text);

        Assert.Equal(printed, mac.ToString());
        Assert.Equal(0x02005E10AAFFUL, mac.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02:00:5e:10:aa")]
    [InlineData("02:00:5e:10:aa:ff:00")]
    [InlineData("02:00:5e:10:aa:fg")]
    [InlineData("02.00.5e.10.aa.ff")]
    [InlineData("0200:5e:10:aa:ff:")]
    [InlineData("+2:00:5e:10:aa:ff")]
    public void Malformed_MACs_are_refused_with_a_message_saying_what_is_expected(string text)
    {
        var error = Assert.Throws<FormatException>(() => MacAddress.Parse(text));

        Assert.Equal($"'{text}' is not a MAC address (expected six hex pairs separated by ':').", error.Message);
        Assert.False(MacAddress.TryParse(text, null, out _));
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(MacAddress.TryParse(null, null, out _));
    }

    [Fact]
    public void Bytes_are_in_wire_order_and_round_trip()
    {
        var mac = MacAddress.Parse("ee:ee:ee:00:01:02");

        var bytes = mac.GetBytes();

        Assert.Equal(new byte[] { 0xEE, 0xEE, 0xEE, 0x00, 0x01, 0x02 }, bytes);
        Assert.Equal(mac, MacAddress.FromBytes(bytes));
    }

    [Fact]
    public void FromBytes_needs_exactly_six_bytes()
    {
        var error = Assert.Throws<ArgumentException>(() => MacAddress.FromBytes([1, 2, 3, 4, 5]));

        Assert.StartsWith("A MAC address is 6 bytes, not 5.", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MacAddress.FromBytes(new byte[7]));
    }

    [Fact]
    public void A_value_over_48_bits_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MacAddress(0x1_0000_0000_0000UL));
        Assert.Equal("ff:ff:ff:ff:ff:ff", new MacAddress(0xFFFF_FFFF_FFFFUL).ToString());
    }

    [Fact]
    public void The_group_bit_marks_multicast_addresses()
    {
        Assert.True(MacAddress.Parse("01:00:5e:00:00:01").IsMulticast);
        Assert.True(MacAddress.Parse("33:33:00:00:00:01").IsMulticast);
        Assert.True(MacAddress.Parse("ff:ff:ff:ff:ff:ff").IsMulticast);
        Assert.False(MacAddress.Parse("02:00:00:00:00:01").IsMulticast);
        Assert.False(MacAddress.HostSideWorkload.IsMulticast);
    }

    [Fact]
    public void The_host_side_workload_MAC_is_Calicos_ee_ee_ee_ee_ee_ee()
    {
        Assert.Equal("ee:ee:ee:ee:ee:ee", MacAddress.HostSideWorkload.ToString());
        Assert.True(default(MacAddress).IsZero);
        Assert.False(MacAddress.HostSideWorkload.IsZero);
    }

    [Fact]
    public void Equality_is_by_value()
    {
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:01"), MacAddress.Parse("02-00-00-00-00-01"));
        Assert.True(MacAddress.Parse("02:00:00:00:00:01") == new MacAddress(0x020000000001UL));
        Assert.True(MacAddress.Parse("02:00:00:00:00:01") != MacAddress.Parse("02:00:00:00:00:02"));
        Assert.Equal(MacAddress.Parse("02:00:00:00:00:01").GetHashCode(), new MacAddress(0x020000000001UL).GetHashCode());
    }
}
