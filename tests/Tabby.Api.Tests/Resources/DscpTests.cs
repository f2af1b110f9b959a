using Tabby.Api.Resources;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Tests.Resources;

/// <summary>Calico's numorstring.DSCP: a code point 0-63, or one of the names in its AllDSCPValues (any case).</summary>
public sealed class DscpTests
{
    [Theory]
    [InlineData("0", false)]
    [InlineData("46", false)]
    [InlineData("63", false)]
    [InlineData("EF", true)]
    [InlineData("af11", true)]
    [InlineData("CS6", true)]
    public void Code_points_and_Calicos_names_are_accepted(string text, bool quoted)
    {
        Assert.True(Dscp.TryParse(new ScalarNode(text, quoted), out var dscp, out var error), error);
        Assert.Equal(text, dscp.ToString());
    }

    [Theory]
    [InlineData("64", false)]
    [InlineData("255", false)]
    [InlineData("-1", false)]
    [InlineData("XYZ", true)]
    [InlineData("AF14", true)]
    public void Values_past_63_and_unknown_names_are_refused(string text, bool quoted) =>
        Assert.False(Dscp.TryParse(new ScalarNode(text, quoted), out _, out _));
}
