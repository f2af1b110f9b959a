using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Cli.Resources;

/// <summary>A resource read from a manifest, with the file it came from for messages.</summary>
public sealed record LoadedResource(IResource Resource, string Source)
{
    public ResourceKey Key => ResourceKey.For(Resource);

    /// <summary>How messages name it: <c>IPPool pool-a</c> or <c>NetworkPolicy prod/allow-dns</c>.</summary>
    public string Display => ResourceNames.Display(Key);
}
