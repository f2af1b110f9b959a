using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Protocol;

public sealed class CniEnvironmentTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] pairs)
    {
        var map = pairs.ToDictionary(p => p.Key, p => p.Value);
        return key => map.GetValueOrDefault(key);
    }

    [Fact]
    public void Add_needs_container_netns_ifname_and_path_and_names_every_missing_one()
    {
        var e = Assert.Throws<CniException>(() => CniEnvironment.Read(Env(("CNI_COMMAND", "ADD"), ("CNI_IFNAME", "eth0"))));

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Equal("required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_PATH] missing", e.Message);
    }

    [Fact]
    public void Del_does_without_a_netns()
    {
        var environment = CniEnvironment.Read(Env(("CNI_COMMAND", "DEL"), ("CNI_CONTAINERID", "c1"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/opt/cni/bin:/usr/lib/cni")));

        Assert.Equal(CniCommand.Del, environment.Command);
        Assert.Equal("", environment.Netns);
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], environment.Path);
    }

    [Fact]
    public void Gc_and_status_need_only_the_path_and_version_nothing()
    {
        Assert.Equal(CniCommand.Gc, CniEnvironment.Read(Env(("CNI_COMMAND", "GC"), ("CNI_PATH", "/p"))).Command);
        Assert.Equal(CniCommand.Status, CniEnvironment.Read(Env(("CNI_COMMAND", "STATUS"), ("CNI_PATH", "/p"))).Command);
        Assert.Equal(CniCommand.Version, CniEnvironment.Read(Env(("CNI_COMMAND", "VERSION"))).Command);
    }

    [Fact]
    public void A_missing_command_and_an_unknown_one_are_invalid_environments()
    {
        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => CniEnvironment.Read(Env())).Code);
        var unknown = Assert.Throws<CniException>(() => CniEnvironment.Read(Env(("CNI_COMMAND", "ATTACH"))));
        Assert.Equal(CniErrorCode.InvalidEnvironment, unknown.Code);
        Assert.Equal("unknown CNI_COMMAND: ATTACH", unknown.Message);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("slash/in")]
    public void A_container_id_outside_libcnis_alphabet_is_refused(string id)
    {
        var e = Assert.Throws<CniException>(() => CniEnvironment.Read(Env(("CNI_COMMAND", "ADD"), ("CNI_CONTAINERID", id), ("CNI_NETNS", "/run/netns/x"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/p"))));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_CONTAINERID", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a-name-that-is-too-long")]
    [InlineData("eth:0")]
    [InlineData("..")]
    public void An_interface_name_the_kernel_would_refuse_is_an_invalid_environment(string name)
    {
        var e = Assert.Throws<CniException>(() => CniEnvironment.Read(Env(("CNI_COMMAND", "ADD"), ("CNI_CONTAINERID", "c1"), ("CNI_NETNS", "/run/netns/x"), ("CNI_IFNAME", name), ("CNI_PATH", "/p"))));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_IFNAME", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_cni_args_is_reported_for_attachment_commands()
    {
        var e = Assert.Throws<CniException>(() => CniEnvironment.Read(Env(("CNI_COMMAND", "DEL"), ("CNI_CONTAINERID", "c1"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/p"), ("CNI_ARGS", "oops"))));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
    }
}
