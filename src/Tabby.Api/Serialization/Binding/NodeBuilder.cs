using System.Collections;
using System.Globalization;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization.Binding;

/// <summary>Turns the typed model back into a canonical <see cref="DocNode"/> tree: declaration order, empty fields left out.</summary>
/// <remarks>Omission follows Go's <c>omitempty</c>: zero values of non-pointer fields, empty strings, lists and maps.</remarks>
internal static class NodeBuilder
{
    public static MappingNode BuildMapping(object value)
    {
        var mapping = new MappingNode();
        foreach (var field in TypeShape.Of(value.GetType()).Fields)
        {
            var node = Build(field.Property.GetValue(value), field.Property.PropertyType, field.AlwaysEmit, field.KeepEmpty);
            if (node is not null)
                mapping.Add(field.Name, node);
        }
        return mapping;
    }

    public static DocNode? Build(object? value, Type declaredType, bool alwaysEmit, bool keepEmpty = false)
    {
        var nullable = Nullable.GetUnderlyingType(declaredType) is not null || !declaredType.IsValueType;
        switch (value)
        {
            case null:
                if (!alwaysEmit)
                    return null;
                if (declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(List<>))
                    return new SequenceNode();
                if (declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
                    return new MappingNode();
                return ScalarNode.Null();
            case DocNode node:
                return node;
            case string s:
                return s.Length == 0 && !alwaysEmit ? null : ScalarNode.String(s);
            case bool b:
                return !b && !nullable && !alwaysEmit ? null : ScalarNode.Bool(b);
            case int or long or uint or ushort or byte:
                var signed = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return signed == 0 && !nullable && !alwaysEmit ? null : ScalarNode.Number(signed);
            case ulong u:
                return u == 0 && !nullable && !alwaysEmit ? null : ScalarNode.Number(u);
            case double d:
                return d == 0 && !nullable && !alwaysEmit ? null : ScalarNode.Number(d);
            case IApiScalar scalar:
                return scalar.ToNode();
            case IDictionary dictionary:
                if (dictionary.Count == 0 && !alwaysEmit && !keepEmpty)
                    return null;
                var valueType = declaredType.GetGenericArguments()[1];
                var map = new MappingNode();
                // Go writes map keys sorted, so the canonical form does too.
                foreach (var key in dictionary.Keys.Cast<string>().Order(StringComparer.Ordinal))
                    map.Add(key, Build(dictionary[key], valueType, true) ?? ScalarNode.Null());
                return map;
            case IList list:
                if (list.Count == 0 && !alwaysEmit && !keepEmpty)
                    return null;
                var elementType = declaredType.GetGenericArguments()[0];
                var sequence = new SequenceNode();
                foreach (var item in list)
                    sequence.Items.Add(Build(item, elementType, true) ?? ScalarNode.Null());
                return sequence;
            default:
                var mapping = BuildMapping(value);
                return mapping.Entries.Count == 0 && !alwaysEmit ? null : mapping;
        }
    }
}
