using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Datastore.Resources;

/// <summary>A resource to write, with where it came from (a manifest file, a plugin) for messages.</summary>
public sealed record ResourceWrite(IResource Resource, string Source)
{
    public ResourceKey Key => ResourceKey.For(Resource);

    /// <summary>How messages name it: <c>IPPool pool-a</c> or <c>NetworkPolicy prod/allow-dns</c>.</summary>
    public string Display => ResourceNames.Display(Key);
}
