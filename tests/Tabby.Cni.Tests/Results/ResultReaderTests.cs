using System.Text.Json;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;

namespace Tabby.Cni.Tests.Results;

public sealed class ResultReaderTests
{
    private static CniResult Read(string json) => ResultReader.Read(JsonDocument.Parse(json).RootElement, "prevResult");

    [Fact]
    public void A_host_local_result_with_a_gateway_and_a_subnet_prefix_is_read()
    {
        var result = Read("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{}}""");

        Assert.Equal("10.1.0.5/16", result.Ips[0].Address.ToString());
        Assert.Equal("10.1.0.5/32", result.Ips[0].Address.Host.ToString());
        Assert.Equal("10.1.0.1", result.Ips[0].Gateway);
        Assert.Null(result.Ips[0].Interface);
        Assert.Equal("0.0.0.0/0", result.Routes[0].Destination.ToString());
    }

    [Theory]
    [InlineData("""{"ips":[{"address":"10.1.0.5"}]}""", "prevResult.ips[0].address: \"10.1.0.5\" is not an address in CIDR notation")]
    [InlineData("""{"ips":[{"address":"10.1/8"}]}""", "prevResult.ips[0].address: \"10.1/8\" is not an address in CIDR notation")]
    [InlineData("""{"ips":{"address":"10.1.0.5/32"}}""", "prevResult.ips: expected a list, got an object")]
    [InlineData("""{"ips":[{"address":"10.1.0.5/32","interface":-1}]}""", "prevResult.ips[0].interface: expected an index, got -1")]
    [InlineData("""{"interfaces":[{"mac":"x"}]}""", "prevResult.interfaces[0].name: missing")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","gw":"gateway"}]}""", "prevResult.routes[0].gw: \"gateway\" is not an address")]
    [InlineData("""[]""", "prevResult: expected an object, got a list")]
    public void A_result_that_does_not_decode_is_code_6_naming_the_field(string json, string message)
    {
        var e = Assert.Throws<CniException>(() => Read(json));
        Assert.Equal(CniErrorCode.DecodeFailure, e.Code);
        Assert.Equal(message, e.Message);
    }
}
