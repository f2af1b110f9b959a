using System.Net;
using System.Text;
using System.Text.Json;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;

namespace Tabby.Cni.Tests.Results;

public sealed class ResultWriterTests
{
    private static CniResult Sample() => new()
    {
        Interfaces = [new ResultInterface("cali1234567890a", "ee:ee:ee:ee:ee:ee"), new ResultInterface("eth0", "02:00:00:00:00:01", "/run/netns/c1", 1400)],
        Ips = [new ResultIp(CidrAddress.HostOf(IPAddress.Parse("10.1.0.5")), Interface: 1), new ResultIp(CidrAddress.HostOf(IPAddress.Parse("fd00::5")), Interface: 1)],
        Routes =
        [
            new ResultRoute(new CidrAddress(IPAddress.Parse("169.254.1.1"), 32), Scope: 253),
            new ResultRoute(new CidrAddress(IPAddress.Any, 0), IPAddress.Parse("169.254.1.1")),
        ],
    };

    private static JsonElement Write(CniResult result, CniVersion version, string? previous = null)
    {
        JsonElement? prev = previous is null ? null : JsonDocument.Parse(previous).RootElement;
        return JsonDocument.Parse(ResultWriter.ToJson(result, version, prev)).RootElement;
    }

    [Fact]
    public void A_1_0_0_result_lists_interfaces_ips_with_their_interface_and_routes()
    {
        var json = Write(Sample(), CniVersion.V1_0_0);

        Assert.Equal("1.0.0", json.GetProperty("cniVersion").GetString());
        var interfaces = json.GetProperty("interfaces");
        Assert.Equal("cali1234567890a", interfaces[0].GetProperty("name").GetString());
        Assert.False(interfaces[0].TryGetProperty("sandbox", out _));
        Assert.Equal("/run/netns/c1", interfaces[1].GetProperty("sandbox").GetString());
        Assert.False(interfaces[1].TryGetProperty("mtu", out _)); // interfaces carry mtu from 1.1.0 on
        var ip = json.GetProperty("ips")[0];
        Assert.Equal("10.1.0.5/32", ip.GetProperty("address").GetString());
        Assert.Equal(1, ip.GetProperty("interface").GetInt32());
        Assert.False(ip.TryGetProperty("version", out _));
        Assert.Equal("fd00::5/128", json.GetProperty("ips")[1].GetProperty("address").GetString());
        Assert.Equal("0.0.0.0/0", json.GetProperty("routes")[1].GetProperty("dst").GetString());
        Assert.Equal("169.254.1.1", json.GetProperty("routes")[1].GetProperty("gw").GetString());
        Assert.False(json.GetProperty("routes")[0].TryGetProperty("scope", out _));
        Assert.False(json.TryGetProperty("dns", out _));
    }

    [Fact]
    public void Results_before_1_0_0_give_each_ip_its_version()
    {
        var json = Write(Sample(), CniVersion.V0_3_1);
        Assert.Equal("4", json.GetProperty("ips")[0].GetProperty("version").GetString());
        Assert.Equal("6", json.GetProperty("ips")[1].GetProperty("version").GetString());
    }

    [Fact]
    public void A_1_1_0_result_carries_route_scope_and_interface_mtu()
    {
        var json = Write(Sample(), CniVersion.V1_1_0);
        Assert.Equal(253, json.GetProperty("routes")[0].GetProperty("scope").GetInt32());
        Assert.Equal(1400, json.GetProperty("interfaces")[1].GetProperty("mtu").GetInt32());
    }

    [Fact]
    public void An_ipam_result_has_no_interfaces_and_no_interface_indexes()
    {
        var json = Write(new CniResult { Ips = [new ResultIp(new CidrAddress(IPAddress.Parse("10.1.0.5"), 26))] }, CniVersion.V1_0_0);
        Assert.False(json.TryGetProperty("interfaces", out _));
        Assert.Equal("10.1.0.5/26", json.GetProperty("ips")[0].GetProperty("address").GetString());
        Assert.False(json.GetProperty("ips")[0].TryGetProperty("interface", out _));
    }

    [Fact]
    public void A_previous_result_comes_first_and_our_interface_indexes_shift_past_it()
    {
        const string previous = """
            {"cniVersion":"1.0.0","interfaces":[{"name":"lo0","sandbox":"/x","socketPath":"/s"}],
             "ips":[{"address":"192.0.2.1/24","interface":0}],"routes":[{"dst":"192.0.2.0/24"}],"dns":{"nameservers":["192.0.2.53"]}}
            """;
        var json = Write(Sample(), CniVersion.V1_0_0, previous);

        Assert.Equal(["lo0", "cali1234567890a", "eth0"], json.GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("/s", json.GetProperty("interfaces")[0].GetProperty("socketPath").GetString()); // kept verbatim
        Assert.Equal(0, json.GetProperty("ips")[0].GetProperty("interface").GetInt32());
        Assert.Equal(2, json.GetProperty("ips")[1].GetProperty("interface").GetInt32());
        Assert.Equal(3, json.GetProperty("routes").GetArrayLength());
        Assert.Equal("192.0.2.53", json.GetProperty("dns").GetProperty("nameservers")[0].GetString());
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        var bytes = ResultWriter.ToJson(Sample(), CniVersion.V1_1_0);
        var back = ResultReader.Read(JsonDocument.Parse(bytes).RootElement, "result");

        Assert.Equal(Sample().Interfaces, back.Interfaces);
        Assert.Equal(Sample().Ips, back.Ips);
        Assert.Equal(Sample().Routes.Select(r => (r.Destination.ToString(), r.Gateway?.ToString(), r.Scope)), back.Routes.Select(r => (r.Destination.ToString(), r.Gateway?.ToString(), r.Scope)));
        Assert.EndsWith("\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }
}
