using Tabby.Api.Resources;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization;

/// <summary>Writes resources in canonical form: apiVersion, kind, metadata, spec; Calico's field order; empty fields left out.</summary>
/// <remarks>Writing is deterministic: the same object always gives byte-identical text, so stored JSON can be compared.</remarks>
public static class ResourceWriter
{
    public static string Write(IResource resource, ResourceFormat format)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Write([resource], format);
    }

    /// <summary>YAML: one document per resource. JSON: the object itself, or a <c>List</c> of several.</summary>
    public static string Write(IReadOnlyList<IResource> resources, ResourceFormat format)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (format == ResourceFormat.Yaml)
            return YamlTextWriter.Write(resources.Select(r => (DocNode)ToNode(r)).ToList());
        if (resources.Count == 1)
            return JsonTextWriter.Write(ToNode(resources[0]), indented: true) + "\n";
        var list = new MappingNode();
        list.Add("apiVersion", ScalarNode.String(Resource.GroupVersion));
        list.Add("kind", ScalarNode.String("List"));
        var items = new SequenceNode();
        items.Items.AddRange(resources.Select(ToNode));
        list.Add("items", items);
        return JsonTextWriter.Write(list, indented: true) + "\n";
    }

    public static string ToYaml(IResource resource) => Write(resource, ResourceFormat.Yaml);

    public static string ToJson(IResource resource) => Write(resource, ResourceFormat.Json);

    /// <summary>Compact canonical JSON: what a datastore stores, and what two equal resources share.</summary>
    public static string ToCanonicalJson(IResource resource) => JsonTextWriter.Write(ToNode(resource), indented: false);

    /// <summary>The canonical tree of a resource.</summary>
    public static MappingNode ToNode(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var root = new MappingNode();
        root.Add("apiVersion", ScalarNode.String(resource.ApiVersion));
        root.Add("kind", ScalarNode.String(resource.Kind));
        foreach (var (key, value) in NodeBuilder.BuildMapping(resource).Entries)
            root.Entries.Add(new(key, value));
        return root;
    }
}
