using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Protocol;

public sealed class CniVersionTests
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void The_rich_result_versions_and_1_x_are_supported(string text)
    {
        Assert.True(CniVersion.TryParse(text, out var version));
        Assert.True(version.IsSupported);
        Assert.Equal(text, version.ToString());
    }

    [Theory]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    [InlineData("1.2.0")]
    [InlineData("2.0.0")]
    public void Older_and_newer_versions_parse_but_are_not_supported(string text)
    {
        Assert.True(CniVersion.TryParse(text, out var version));
        Assert.False(version.IsSupported);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("1.0.0.0")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-rc1")]
    [InlineData("+1.0.0")]
    public void Anything_but_exact_semantic_versions_is_refused(string text) => Assert.False(CniVersion.TryParse(text, out _));

    [Fact]
    public void Versions_order_numerically_not_lexically()
    {
        Assert.True(new CniVersion(0, 10, 0) > CniVersion.V0_4_0);
        Assert.True(CniVersion.V1_0_0 > CniVersion.V0_4_0);
        Assert.Equal(CniVersion.V1_1_0, CniVersion.Latest);
    }

    [Fact]
    public void Commands_and_result_fields_follow_the_version()
    {
        Assert.False(CniVersion.V0_3_1.AllowsCheck);
        Assert.True(CniVersion.V0_4_0.AllowsCheck);
        Assert.False(CniVersion.V1_0_0.AllowsGcAndStatus);
        Assert.True(CniVersion.V1_1_0.AllowsGcAndStatus);
        Assert.True(CniVersion.V0_4_0.IpsCarryVersion);
        Assert.False(CniVersion.V1_0_0.IpsCarryVersion);
        Assert.False(CniVersion.V1_0_0.RoutesCarryScope);
        Assert.True(CniVersion.V1_1_0.RoutesCarryScope);
    }
}
