using System.Text;
using System.Text.Json;
using Tabby.Cni.Config;
using Tabby.Cni.Hosting;
using Tabby.Cni.Ipam;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Ipam;

public sealed class AddressRequestTests
{
    private static AddressRequest Request(string conf, string? cniArgs = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "/run/netns/c1", ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = "/p", ["CNI_ARGS"] = cniArgs,
        };
        var bytes = Encoding.UTF8.GetBytes(conf);
        var document = JsonDocument.Parse(bytes);
        var context = new PluginContext
        {
            Io = new PluginIo(k => env.GetValueOrDefault(k), Stream.Null, Stream.Null, TextWriter.Null),
            Environment = CniEnvironment.Read(k => env.GetValueOrDefault(k)),
            Stdin = bytes,
            Root = document.RootElement,
            Conf = NetConfReader.Read(document.RootElement),
        };
        return AddressRequest.From(context);
    }

    private const string Head = """{"cniVersion":"1.0.0","name":"n","type":"tabby","ipam":{"type":"tabby-ipam"}""";

    [Fact]
    public void By_default_one_ipv4_address_and_no_ipv6()
    {
        var request = Request(Head + "}");
        Assert.Equal((1, 0), (request.Num4, request.Num6));
        Assert.Empty(request.Specific);
    }

    [Fact]
    public void Assign_flags_pick_the_families()
    {
        var request = Request("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"tabby-ipam","assign_ipv4":"false","assign_ipv6":"true"}}""");
        Assert.Equal((0, 1), (request.Num4, request.Num6));
        var e = Assert.Throws<CniException>(() => Request("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"tabby-ipam","assign_ipv4":false}}"""));
        Assert.Equal(CniErrorCode.InvalidConfig, e.Code);
    }

    [Fact]
    public void Cni_args_ip_asks_for_specific_addresses_and_drops_prefix_lengths()
    {
        var request = Request(Head + "}", "IgnoreUnknown=1;IP=10.1.0.7/24,fd00::7");
        Assert.Equal(["10.1.0.7", "fd00::7"], request.Specific.Select(a => a.ToString()));
    }

    [Fact]
    public void Runtime_config_ips_win_over_cni_args()
    {
        var request = Request(Head + ""","runtimeConfig":{"ips":["10.1.0.8"]}}""", "IP=10.1.0.7");
        Assert.Equal(["10.1.0.8"], request.Specific.Select(a => a.ToString()));
    }

    [Fact]
    public void Two_addresses_of_one_family_or_a_non_address_are_refused()
    {
        var two = Assert.Throws<CniException>(() => Request(Head + "}", "IP=10.1.0.7,10.1.0.8"));
        Assert.Equal(CniErrorCode.InvalidEnvironment, two.Code);
        Assert.Contains("more than one IPv4 address", two.Message, StringComparison.Ordinal);
        var junk = Assert.Throws<CniException>(() => Request(Head + ""","runtimeConfig":{"ips":["ten.one"]}}"""));
        Assert.Equal(CniErrorCode.InvalidConfig, junk.Code);
    }
}
