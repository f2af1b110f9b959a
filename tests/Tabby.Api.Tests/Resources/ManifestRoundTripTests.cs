namespace Tabby.Api.Tests.Resources;

/// <summary>Every real manifest applies (parses and validates) and survives read → write → read unchanged.</summary>
public class ManifestRoundTripTests
{
    [Theory]
    [InlineData("ippools.yaml", 6)]
    [InlineData("bgp.yaml", 8)]
    [InlineData("policies.yaml", 8)]
    [InlineData("networksets.yaml", 2)]
    [InlineData("hostendpoints.yaml", 3)]
    [InlineData("felix.yaml", 2)]
    [InlineData("misc.yaml", 6)]
    [InlineData("pools.json", 2)]
    [InlineData("policy.json", 1)]
    [InlineData("list.yaml", 4)]
    [InlineData("current-fields.yaml", 8)]
    public void Manifest_applies_and_round_trips(string file, int count)
    {
        var resources = ManifestFiles.ReadValid(file);

        Assert.Equal(count, resources.Count);
        ManifestFiles.AssertRoundTrips(resources);
    }
}
