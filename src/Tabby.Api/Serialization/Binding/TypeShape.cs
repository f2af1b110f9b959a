using System.Collections.Concurrent;
using System.Reflection;

namespace Tabby.Api.Serialization.Binding;

/// <summary>The fields of a model type in canonical (declaration) order, cached per type.</summary>
internal sealed class TypeShape
{
    private static readonly ConcurrentDictionary<Type, TypeShape> s_cache = new();

    private TypeShape(Type type)
    {
        // Base-class fields first (metadata before spec), then declaration order, which is Calico's order.
        // Reflection lists a type's properties in declaration order and OrderBy is stable, so sorting by depth
        // alone keeps it. MetadataToken is not used: NativeAOT (the CNI plugin) has none and throws.
        Fields = ModelCatalog.Properties(type)
            .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.DeclaringType!))
            .Select(p => new FieldShape(
                p.GetCustomAttribute<ApiNameAttribute>()?.Name ?? char.ToLowerInvariant(p.Name[0]) + p.Name[1..],
                p,
                p.GetCustomAttribute<AlwaysEmitAttribute>() is not null,
                p.GetCustomAttribute<KeepEmptyAttribute>() is not null))
            .ToArray();
        ByName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<FieldShape> Fields { get; }

    public IReadOnlyDictionary<string, FieldShape> ByName { get; }

    public static TypeShape Of(Type type) => s_cache.GetOrAdd(type, static t => new TypeShape(t));

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            depth++;
        return depth;
    }
}
