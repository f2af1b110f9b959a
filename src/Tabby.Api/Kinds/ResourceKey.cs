using System.Diagnostics.CodeAnalysis;
using Tabby.Api.Resources;

namespace Tabby.Api.Kinds;

/// <summary>A resource's identity and its key in Calico's etcd layout:
/// <c>/calico/resources/v3/projectcalico.org/&lt;plural&gt;[/&lt;namespace&gt;]/&lt;name&gt;</c>.</summary>
public readonly record struct ResourceKey(KindInfo Kind, string? Namespace, string Name)
{
    /// <summary>The prefix under which every v3 resource key lives.</summary>
    public const string Root = "/calico/resources/v3/projectcalico.org/";

    public string Path => Kind.Namespaced
        ? $"{Root}{Kind.Plural}/{Namespace}/{Name}"
        : $"{Root}{Kind.Plural}/{Name}";

    public static ResourceKey For(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var kind = KindRegistry.For(resource);
        var name = resource.Metadata.Name ?? throw new ArgumentException("The resource has no name.", nameof(resource));
        if (kind.Namespaced && string.IsNullOrEmpty(resource.Metadata.Namespace))
            throw new ArgumentException($"{kind.Kind} {name} has no namespace.", nameof(resource));
        return new ResourceKey(kind, kind.Namespaced ? resource.Metadata.Namespace : null, name);
    }

    /// <summary>The prefix listing every object of a kind, or (for a namespaced kind) of one namespace.</summary>
    public static string PrefixFor(KindInfo kind, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return kind.Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{Root}{kind.Plural}/{@namespace}/"
            : $"{Root}{kind.Plural}/";
    }

    public static bool TryParse(string path, [NotNullWhen(true)] out ResourceKey? key)
    {
        key = null;
        if (path is null || !path.StartsWith(Root, StringComparison.Ordinal))
            return false;
        var parts = path[Root.Length..].Split('/');
        if (parts.Length < 2 || !KindRegistry.TryResolve(parts[0], out var kind) || kind.Plural != parts[0])
            return false;
        if (kind.Namespaced && parts.Length == 3 && parts[1].Length > 0 && parts[2].Length > 0)
            key = new ResourceKey(kind, parts[1], parts[2]);
        else if (!kind.Namespaced && parts.Length == 2 && parts[1].Length > 0)
            key = new ResourceKey(kind, null, parts[1]);
        return key is not null;
    }

    public override string ToString() => Path;
}
