using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Node.Calc;

namespace Tabby.Node.Tests.Calc;

public sealed class NodeAddressTests
{
    [Theory]
    [InlineData("10.0.0.1/24", "10.0.0.1", 24, "10.0.0.0/24")]
    [InlineData("10.0.0.1", "10.0.0.1", 32, "10.0.0.1/32")] // no length: a /32, as Calico's ParseCIDROrIP
    [InlineData("10.0.0.1/0", "10.0.0.1", 0, "0.0.0.0/0")]
    [InlineData("10.0.0.1/32", "10.0.0.1", 32, "10.0.0.1/32")]
    public void An_IPv4_address_with_or_without_a_length_is_read(string text, string address, int length, string subnet)
    {
        Assert.True(NodeBgpAddress.TryParseIpv4(text, out var parsed));
        Assert.Equal(address, parsed.Address.ToString());
        Assert.Equal(length, parsed.PrefixLength);
        Assert.Equal(IpPrefix.Parse(subnet), parsed.Subnet);
    }

    [Theory]
    [InlineData("fd00::1/64")]    // IPv6 belongs in ipv6Address
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.1/")]
    [InlineData("10.0.0.1/-1")]
    [InlineData("10.0.0.1/24/24")]
    [InlineData("10.0.1")]        // inet_aton shorthand, refused by the API
    [InlineData("010.0.0.1")]     // octal to inet_aton
    [InlineData("not-an-ip")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused(string? text)
    {
        Assert.False(NodeBgpAddress.TryParseIpv4(text, out _));
    }

    [Fact]
    public void A_node_without_an_address_has_none_and_no_problem()
    {
        var problems = new List<string>();

        Assert.Null(NodeBgpAddress.Ipv4(new Api.Resources.Node { Metadata = { Name = "a" } }, problems));
        Assert.Null(NodeBgpAddress.Ipv4(new Api.Resources.Node { Metadata = { Name = "a" }, Spec = new NodeSpec { Bgp = new NodeBgpSpec { Ipv6Address = "fd00::1/64" } } }, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void A_node_with_an_unusable_address_has_none_and_the_problem_is_said_once()
    {
        var node = new Api.Resources.Node { Metadata = { Name = "b" }, Spec = new NodeSpec { Bgp = new NodeBgpSpec { Ipv4Address = "fd00::2/64" } } };
        var problems = new List<string>();

        Assert.Null(NodeBgpAddress.Ipv4(node, problems));
        Assert.Null(NodeBgpAddress.Ipv4(node, problems));
        Assert.Equal(["node b: spec.bgp.ipv4Address 'fd00::2/64' is not an IPv4 address with an optional /prefix length"], problems);
    }
}
