using Tabby.Api.Resources;

namespace Tabby.Api.Serialization;

/// <summary>Deep copies of resources, through their canonical form, for caches that must not share mutable objects.</summary>
public static class ResourceCloner
{
    public static T Clone<T>(T resource)
        where T : class, IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (T)ResourceReader.FromJson(ResourceWriter.ToCanonicalJson(resource), "clone");
    }
}
