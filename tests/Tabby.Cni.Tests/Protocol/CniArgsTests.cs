using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Protocol;

public sealed class CniArgsTests
{
    [Fact]
    public void Kubernetes_args_are_read_and_unknown_keys_ignored()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=prod;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=abc;SOMETHING=else");

        Assert.Equal("prod", args.PodNamespace);
        Assert.Equal("web-1", args.PodName);
        Assert.Equal("abc", args.PodInfraContainerId);
        Assert.Null(args.Ip);
    }

    [Fact]
    public void Podmans_args_carry_the_container_name_and_comma_separated_ips()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAME=c1;IP=10.9.9.9,fd00::9;MAC=02:00:00:00:00:09");

        Assert.Equal("c1", args.PodName);
        Assert.Null(args.PodNamespace);
        Assert.Equal("10.9.9.9,fd00::9", args.Ip);
        Assert.Equal("02:00:00:00:00:09", args.Mac);
    }

    [Fact]
    public void Values_may_hold_equals_signs_and_empty_pairs_are_skipped()
    {
        var args = CniArgs.Parse(";A=b=c;;");
        Assert.Equal("b=c", args.Get("A"));
    }

    [Theory]
    [InlineData("FOO")]
    [InlineData("A=1;BAR")]
    [InlineData("=value")]
    public void A_pair_without_a_key_and_an_equals_sign_is_an_invalid_environment(string text)
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse(text));
        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_ARGS", e.Message, StringComparison.Ordinal);
    }
}
