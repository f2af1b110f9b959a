using System.Diagnostics.CodeAnalysis;
using Tabby.Api.Resources;

namespace Tabby.Api.Kinds;

/// <summary>A resource's identity and its key in Calico's etcd layout:
/// <c>/calico/resources/v3/projectcalico.org/&lt;plural&gt;[/&lt;namespace&gt;]/&lt;name&gt;</c>.</summary>
/// <remarks>The one owner of that layout: code that has only a plural (the datastore, IPAM) uses
/// <see cref="PathOf"/>, <see cref="PrefixOf"/> and <see cref="TrySplit"/> rather than building keys itself.</remarks>
public readonly record struct ResourceKey(KindInfo Kind, string? Namespace, string Name)
{
    /// <summary>The prefix under which every v3 resource key lives.</summary>
    public const string Root = "/calico/resources/v3/projectcalico.org/";

    // Not checked: a name typed on the command line (say 'a/b') must find nothing rather than throw.
    public string Path => Compose(Kind.Plural, Kind.Namespaced ? Namespace ?? "" : null, Name);

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
        return ComposePrefix(kind.Plural, kind.Namespaced && !string.IsNullOrEmpty(@namespace) ? @namespace : null);
    }

    /// <summary>The key of an object by plural, namespace (null or empty: cluster-scoped) and name, for callers without a <see cref="KindInfo"/>.</summary>
    /// <exception cref="ArgumentException">A segment is empty or contains '/'.</exception>
    public static string PathOf(string plural, string? @namespace, string name)
    {
        CheckSegment(plural, nameof(plural));
        CheckSegment(name, nameof(name));
        if (!string.IsNullOrEmpty(@namespace))
            CheckSegment(@namespace, nameof(@namespace));
        return Compose(plural, string.IsNullOrEmpty(@namespace) ? null : @namespace, name);
    }

    /// <summary>The prefix of every object of a plural, or of a plural within one namespace.</summary>
    /// <exception cref="ArgumentException">A segment contains '/', or the plural is empty.</exception>
    public static string PrefixOf(string plural, string? @namespace = null)
    {
        CheckSegment(plural, nameof(plural));
        if (string.IsNullOrEmpty(@namespace))
            return ComposePrefix(plural, null);
        CheckSegment(@namespace, nameof(@namespace));
        return ComposePrefix(plural, @namespace);
    }

    /// <summary>Splits a resource key into plural, namespace (null: cluster-scoped) and name, without asking whether the plural is a known kind.</summary>
    public static bool TrySplit(string path, out string plural, out string? @namespace, out string name)
    {
        plural = name = "";
        @namespace = null;
        if (path is null || !path.StartsWith(Root, StringComparison.Ordinal))
            return false;
        var parts = path[Root.Length..].Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            return false;
        plural = parts[0];
        @namespace = parts.Length == 3 ? parts[1] : null;
        name = parts[^1];
        return true;
    }

    /// <summary>A key of a registered kind, with the scope that kind has; anything else under <see cref="Root"/> is not one.</summary>
    public static bool TryParse(string path, [NotNullWhen(true)] out ResourceKey? key)
    {
        key = null;
        if (!TrySplit(path, out var plural, out var @namespace, out var name)
            || !KindRegistry.TryResolve(plural, out var kind) || kind.Plural != plural || kind.Namespaced != (@namespace is not null))
            return false;
        key = new ResourceKey(kind, @namespace, name);
        return true;
    }

    public override string ToString() => Path;

    /// <summary>The layout itself; a null namespace means a cluster-scoped kind.</summary>
    private static string Compose(string plural, string? @namespace, string name) =>
        ComposePrefix(plural, @namespace) + name;

    private static string ComposePrefix(string plural, string? @namespace) =>
        @namespace is null ? $"{Root}{plural}/" : $"{Root}{plural}/{@namespace}/";

    private static void CheckSegment(string value, string what)
    {
        // A slash would silently shift the namespace/name split when the key is parsed back.
        if (string.IsNullOrEmpty(value) || value.Contains('/', StringComparison.Ordinal))
            throw new ArgumentException($"{what} '{value}' must be non-empty and contain no '/'", what);
    }
}
