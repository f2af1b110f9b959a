using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Api.Tests;

/// <summary>Loads test manifests from the Manifests folder and runs the read/write round trip every manifest must survive.</summary>
internal static class ManifestFiles
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Manifests", name));

    /// <summary>Reads a manifest that must apply cleanly, showing every error if it does not.</summary>
    public static IReadOnlyList<IResource> ReadValid(string name) => ReadValidText(Text(name), name);

    public static IReadOnlyList<IResource> ReadValidText(string text, string source)
    {
        var result = new ResourceReader().Read(text, source);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.NotEmpty(result.Resources);
        return result.Resources;
    }

    /// <summary>Errors of a manifest that must be refused, formatted as the command line prints them.</summary>
    public static string[] Errors(string text, string source)
    {
        var result = new ResourceReader().Read(text, source);
        return result.Errors.Select(e => e.ToString()).ToArray();
    }

    /// <summary>read → write (yaml and json) → read gives an equal object, and writing again gives identical text.</summary>
    public static void AssertRoundTrips(IReadOnlyList<IResource> resources)
    {
        foreach (var format in new[] { ResourceFormat.Yaml, ResourceFormat.Json })
        {
            var text = ResourceWriter.Write(resources, format);
            var source = format == ResourceFormat.Yaml ? "written.yaml" : "written.json";
            var again = ReadValidText(text, source);
            Assert.Equal(resources.Count, again.Count);
            for (var i = 0; i < resources.Count; i++)
                Assert.True(ResourceEquality.AreEqual(resources[i], again[i]), $"{resources[i].Kind} {resources[i].Metadata.Name} changed in {format}:\n{text}");
            Assert.Equal(text, ResourceWriter.Write(again, format));
        }
    }
}
