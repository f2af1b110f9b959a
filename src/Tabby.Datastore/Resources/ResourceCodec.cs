using System.Globalization;
using System.Text;
using Tabby.Api.Resources;
using Tabby.Api.Serialization;

namespace Tabby.Datastore.Resources;

/// <summary>How a v3 resource is stored: canonical JSON without resourceVersion, which is the key's mod revision instead.</summary>
public static class ResourceCodec
{
    /// <summary>The stored bytes of a resource (its resourceVersion is left out and left untouched).</summary>
    public static byte[] Encode(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var version = resource.Metadata.ResourceVersion;
        resource.Metadata.ResourceVersion = null;
        try
        {
            return Encoding.UTF8.GetBytes(ResourceWriter.ToCanonicalJson(resource));
        }
        finally
        {
            resource.Metadata.ResourceVersion = version;
        }
    }

    /// <summary>The resource a key holds, with resourceVersion set from its mod revision.</summary>
    public static IResource Decode(KeyValue stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var resource = ResourceReader.FromJson(Encoding.UTF8.GetString(stored.Value), stored.Key);
        resource.Metadata.ResourceVersion = FormatVersion(stored.ModRevision);
        return resource;
    }

    /// <summary>A revision as a resourceVersion.</summary>
    public static string FormatVersion(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    /// <summary>The revision a resourceVersion names, or null when it is empty or not one this datastore could have given out.</summary>
    public static long? ParseVersion(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
        : null;
}
