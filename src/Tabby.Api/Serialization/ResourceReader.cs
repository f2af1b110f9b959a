using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;
using Tabby.Api.Validation;

namespace Tabby.Api.Serialization;

/// <summary>Reads manifests (YAML or JSON, many documents, <c>List</c> kinds) into typed resources or precise errors.</summary>
/// <remarks>
/// Every document is bound, defaulted and validated even after an error, so one run reports every
/// problem, each as <c>file:line: field.path: reason</c>.
/// </remarks>
public sealed class ResourceReader(ResourceReaderOptions? options = null)
{
    private static readonly HashSet<string> s_typeFields = new(StringComparer.Ordinal) { "apiVersion", "kind" };
    private readonly ResourceReaderOptions _options = options ?? ResourceReaderOptions.Default;

    /// <summary>Reads YAML or JSON, chosen by the source's extension or else by the first character.</summary>
    public ReadResult Read(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        return DetectFormat(text, source) == ResourceFormat.Json ? ReadJson(text, source) : ReadYaml(text, source);
    }

    public ReadResult ReadYaml(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<ResourceError>();
        var documents = YamlDocumentParser.Parse(text, source, errors);
        return ReadDocuments(documents, source, errors);
    }

    public ReadResult ReadJson(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var errors = new List<ResourceError>();
        var documents = JsonDocumentParser.Parse(text, source, errors);
        return ReadDocuments(documents, source, errors);
    }

    /// <summary>Reads the one resource a datastore stored as canonical JSON; throws if it is not one.</summary>
    public static IResource FromJson(string json, string source = "stored")
    {
        var result = new ResourceReader(ResourceReaderOptions.BindOnly).ReadJson(json, source);
        if (!result.Succeeded)
            throw new FormatException(string.Join(Environment.NewLine, result.Errors));
        if (result.Resources.Count != 1)
            throw new FormatException($"{source}: expected one resource, found {result.Resources.Count}");
        return result.Resources[0];
    }

    public static ResourceFormat DetectFormat(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return ResourceFormat.Json;
        if (source.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            return ResourceFormat.Yaml;
        var first = text.AsSpan().TrimStart();
        return first.Length > 0 && first[0] is '{' or '[' ? ResourceFormat.Json : ResourceFormat.Yaml;
    }

    private ReadResult ReadDocuments(List<ParsedDocument> documents, string source, List<ResourceError> errors)
    {
        var resources = new List<IResource>();
        foreach (var document in documents)
        {
            if (document.Root is not MappingNode mapping)
            {
                errors.Add(new ResourceError(source, document.Root.Line, "", "a document must be a mapping with apiVersion and kind") { Document = document.Index });
                continue;
            }
            ReadObject(mapping, source, document.Index, impliedKind: null, resources, errors);
        }
        // Report in file order whatever stage found the problem.
        var ordered = errors.Select((e, i) => (e, i)).OrderBy(x => x.e.Line).ThenBy(x => x.i).Select(x => x.e).ToList();
        return new ReadResult(resources, ordered);
    }

    private void ReadObject(MappingNode mapping, string source, int document, KindInfo? impliedKind, List<IResource> resources, List<ResourceError> errors)
    {
        var context = new BindContext(source, errors, document);
        context.Record("", mapping.Line);
        // A list or map where the type is named cannot be read as one; say so where it is rather
        // than report the field as missing.
        foreach (var (k, v) in mapping.Entries)
        {
            if (k.Value is "kind" or "apiVersion" && v is not ScalarNode)
            {
                context.Error(v.Line, k.Value, "must be a string");
                return;
            }
        }
        var kindNode = Find(mapping, "kind");
        var apiVersionNode = Find(mapping, "apiVersion");
        string? kindName = kindNode?.Value ?? impliedKind?.Kind;
        if (kindName is null)
        {
            context.Error(mapping.Line, "kind", "required");
            return;
        }

        var listOf = ListKind(kindName, out var isList);
        if (isList)
        {
            if (apiVersionNode is not null && apiVersionNode.Value is not (Resource.GroupVersion or "v1"))
                context.Error(apiVersionNode.Line, "apiVersion", $"'{apiVersionNode.Value}' is not supported; use {Resource.GroupVersion}");
            ReadList(mapping, source, document, listOf, resources, errors, context);
            return;
        }

        // Items of a typed list (IPPoolList) may leave their type to the list.
        if (apiVersionNode is null && impliedKind is null)
            context.Error(mapping.Line, "apiVersion", "required");
        else if (apiVersionNode is not null && apiVersionNode.Value != Resource.GroupVersion)
            context.Error(apiVersionNode.Line, "apiVersion", $"'{apiVersionNode.Value}' is not supported; use {Resource.GroupVersion}");

        if (!KindRegistry.TryGetByKind(kindName, out var kind))
        {
            context.Error(kindNode?.Line ?? mapping.Line, "kind", $"unknown kind '{kindName}'");
            return;
        }
        if (impliedKind is not null && kind != impliedKind)
        {
            context.Error(kindNode?.Line ?? mapping.Line, "kind", $"a {impliedKind.ListKind} cannot hold a {kind.Kind}");
            return;
        }

        var resource = kind.Create();
        NodeBinder.BindInto(mapping, resource, "", context, s_typeFields);
        var failed = context.HadErrors;
        var badPaths = context.FailedPaths.ToHashSet(StringComparer.Ordinal);
        if (_options.ApplyDefaults)
            ResourceDefaults.Apply(resource);
        if (_options.Validate)
        {
            foreach (var error in ResourceValidator.Validate(resource))
            {
                // A field that failed to bind was left empty; do not also call it missing.
                if (badPaths.Contains(error.Path) || context.FailedPrefixes.Any(p => error.Path.StartsWith(p, StringComparison.Ordinal)))
                    continue;
                context.Error(context.LineOf(error.Path), error.Path, error.Message);
            }
        }
        if (!context.HadErrors && !failed)
            resources.Add(resource);
    }

    private void ReadList(MappingNode mapping, string source, int document, KindInfo? itemKind, List<IResource> resources, List<ResourceError> errors, BindContext context)
    {
        DocNode? itemsNode = null;
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "apiVersion" or "kind" or "metadata":
                    break; // list metadata (resourceVersion, continue) says nothing about the items
                case "items":
                    itemsNode = value;
                    break;
                default:
                    context.Error(key.Line, key.Value, "unknown field");
                    break;
            }
        }
        if (itemsNode is ScalarNode { IsNull: true } or null)
            return;
        if (itemsNode is not SequenceNode items)
        {
            context.Error(itemsNode.Line, "items", "expected a list");
            return;
        }
        foreach (var item in items.Items)
        {
            if (item is MappingNode itemMapping)
                ReadObject(itemMapping, source, document, itemKind, resources, errors);
            else
                context.Error(item.Line, "items", "each item must be a mapping");
        }
    }

    /// <summary>"List" holds any kind; "IPPoolList" holds IPPools.</summary>
    private static KindInfo? ListKind(string kind, out bool isList)
    {
        isList = false;
        if (kind == "List")
        {
            isList = true;
            return null;
        }
        if (kind.EndsWith("List", StringComparison.Ordinal) && KindRegistry.TryGetByKind(kind[..^4], out var item))
        {
            isList = true;
            return item;
        }
        return null;
    }

    private static ScalarNode? Find(MappingNode mapping, string key)
    {
        foreach (var (k, v) in mapping.Entries)
        {
            if (k.Value == key)
                return v as ScalarNode;
        }
        return null;
    }
}
