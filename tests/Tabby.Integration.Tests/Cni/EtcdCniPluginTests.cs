using Tabby.Integration.Tests.Cli;

namespace Tabby.Integration.Tests.Cni;

/// <summary>The plugin suite against a real etcd; tests share it, each with its own network and node names.</summary>
public sealed class EtcdCniPluginTests(CliEtcdFixture etcd) : CniPluginTests, IClassFixture<CliEtcdFixture>
{
    protected override string Datastore => etcd.Datastore;

    [Fact]
    public async Task Status_says_not_available_when_etcd_does_not_answer()
    {
        await using var bed = await BedAsync();
        var conf = bed.Conf("1.1.0");
        conf["datastore"] = "etcd:http://127.0.0.1:9";
        var outcome = await bed.ExpectErrorAsync(50, "STATUS", conf);
        Assert.Contains("is not reachable", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_against_an_unreachable_etcd_says_try_again_later_and_leaves_no_veth()
    {
        await using var bed = await BedAsync();
        var conf = bed.Conf();
        conf.Remove("datastore");
        conf["etcd_endpoints"] = "http://127.0.0.1:9";
        var netns = bed.Container("c1");

        await bed.ExpectErrorAsync(11, "ADD", conf, "c1", netns);

        using var inside = CniTestBed.ContainerNetlink(netns);
        Assert.Null(inside.Links.Get("eth0"));
    }
}
