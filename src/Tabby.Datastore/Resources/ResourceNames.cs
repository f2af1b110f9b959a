using Tabby.Api.Kinds;

namespace Tabby.Datastore.Resources;

/// <summary>How messages name a resource.</summary>
public static class ResourceNames
{
    /// <summary><c>IPPool pool-a</c>, or <c>NetworkPolicy prod/allow-dns</c> for a namespaced kind.</summary>
    public static string Display(ResourceKey key) =>
        key.Kind.Namespaced ? $"{key.Kind.Kind} {key.Namespace}/{key.Name}" : $"{key.Kind.Kind} {key.Name}";
}
