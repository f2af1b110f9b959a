using System.Collections;
using System.Globalization;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization.Binding;

/// <summary>Binds a <see cref="DocNode"/> tree onto the typed model, rejecting unknown fields and wrong types.</summary>
/// <remarks>
/// Errors do not stop binding: a bad field is reported and left at its default so the rest of the
/// document is still checked, and the caller sees every problem at once.
/// </remarks>
internal static class NodeBinder
{
    /// <summary>Binds the fields of a mapping onto an existing object; <paramref name="skip"/> names fields handled by the caller.</summary>
    public static void BindInto(MappingNode mapping, object target, string path, BindContext context, IReadOnlySet<string>? skip = null)
    {
        var shape = TypeShape.Of(target.GetType());
        foreach (var (key, valueNode) in mapping.Entries)
        {
            var fieldPath = FieldPath.Child(path, key.Value);
            context.Record(fieldPath, key.Line);
            if (skip is not null && skip.Contains(key.Value))
                continue;
            if (!shape.ByName.TryGetValue(key.Value, out var field))
            {
                context.Error(key.Line, fieldPath, "unknown field");
                continue;
            }
            if (valueNode is ScalarNode { IsNull: true })
                continue;
            var value = Bind(valueNode, field.Property.PropertyType, fieldPath, context, out var ok);
            if (ok)
                field.Property.SetValue(target, value);
        }
    }

    public static object? Bind(DocNode node, Type type, string path, BindContext context, out bool ok)
    {
        ok = true;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (node is ScalarNode { IsNull: true })
                return null;
            type = underlying;
        }

        if (type == typeof(DocNode))
            return node; // opaque content kept as written (managedFields)
        if (type == typeof(string))
        {
            if (node is ScalarNode s)
                return s.Value;
            return Fail(node, path, context, "expected a string", out ok);
        }
        if (type == typeof(bool))
        {
            if (node is ScalarNode { IsString: false } b)
            {
                // YAML 1.1's words too: Calico reads YAML through go-yaml v2, which takes "yes" and "off" as booleans.
                if (b.Value is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "y" or "Y" or "on" or "On" or "ON")
                    return true;
                if (b.Value is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "n" or "N" or "off" or "Off" or "OFF")
                    return false;
            }
            return Fail(node, path, context, $"expected true or false, got {Describe(node)}", out ok);
        }
        if (IsInteger(type))
            return BindInteger(node, type, path, context, out ok);
        if (type == typeof(double))
        {
            if (node is ScalarNode { IsString: false } d && double.TryParse(d.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                return number;
            return Fail(node, path, context, $"expected a number, got {Describe(node)}", out ok);
        }
        if (typeof(IApiScalar).IsAssignableFrom(type))
        {
            if (node is not ScalarNode scalar)
                return Fail(node, path, context, $"expected a number or a string, got {Describe(node)}", out ok);
            if (ModelCatalog.Parser(type)(scalar, out var parsed, out var error))
                return parsed;
            return Fail(node, path, context, error!, out ok);
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            if (node is not SequenceNode sequence)
                return Fail(node, path, context, $"expected a list, got {Describe(node)}", out ok);
            var elementType = type.GetGenericArguments()[0];
            var list = (IList)ModelCatalog.Create(type);
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                var itemPath = FieldPath.Item(path, i);
                var item = sequence.Items[i];
                context.Record(itemPath, item.Line);
                if (item is ScalarNode { IsNull: true } && (!elementType.IsValueType || Nullable.GetUnderlyingType(elementType) is not null))
                {
                    // Go decodes a null item as the zero value: an empty object, so its required fields are reported.
                    var isObject = elementType.IsClass && elementType != typeof(string) && !typeof(IApiScalar).IsAssignableFrom(elementType)
                        && !(elementType.IsGenericType && (elementType.GetGenericTypeDefinition() == typeof(List<>) || elementType.GetGenericTypeDefinition() == typeof(Dictionary<,>)));
                    list.Add(isObject ? ModelCatalog.Create(elementType) : null);
                    continue;
                }
                var value = Bind(item, elementType, itemPath, context, out var itemOk);
                if (itemOk)
                    list.Add(value);
                else if (elementType == typeof(string) || Nullable.GetUnderlyingType(elementType) is not null || (!elementType.IsValueType && typeof(IApiScalar).IsAssignableFrom(elementType)))
                    list.Add(null); // a placeholder keeps later items at the index their errors name
                else
                    context.FailedPrefixes.Add(path + "[");
            }
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            if (node is not MappingNode map)
                return Fail(node, path, context, $"expected a mapping, got {Describe(node)}", out ok);
            var valueType = type.GetGenericArguments()[1];
            var dictionary = (IDictionary)ModelCatalog.Create(type);
            foreach (var (key, valueNode) in map.Entries)
            {
                var entryPath = FieldPath.Child(path, key.Value);
                context.Record(entryPath, key.Line);
                var value = Bind(valueNode, valueType, entryPath, context, out var entryOk);
                if (entryOk)
                    dictionary[key.Value] = value;
            }
            return dictionary;
        }
        if (type.IsClass)
        {
            if (node is not MappingNode map)
                return Fail(node, path, context, $"expected a mapping, got {Describe(node)}", out ok);
            var target = ModelCatalog.Create(type);
            BindInto(map, target, path, context);
            return target;
        }
        throw new InvalidOperationException($"The model type {type} is not bindable.");
    }

    private static object? BindInteger(DocNode node, Type type, string path, BindContext context, out bool ok)
    {
        ok = true;
        if (node is ScalarNode { IsString: false } scalar && TryParseInteger(scalar.Value, out var value))
        {
            try
            {
                return ToIntegerType(value, type);
            }
            catch (OverflowException)
            {
                return Fail(node, path, context, $"{scalar.Value} is out of range for this field", out ok);
            }
        }
        return Fail(node, path, context, $"expected an integer, got {Describe(node)}", out ok);
    }

    private static object ToIntegerType(Int128 value, Type type) =>
        type == typeof(int) ? (object)checked((int)value)
        : type == typeof(long) ? (object)checked((long)value)
        : type == typeof(uint) ? (object)checked((uint)value)
        : type == typeof(ulong) ? (object)checked((ulong)value)
        : type == typeof(ushort) ? (object)checked((ushort)value)
        : (object)checked((byte)value);

    /// <summary>Decimal, or 0x hex as YAML allows (Felix's mark masks are usually written that way).</summary>
    private static bool TryParseInteger(string text, out Int128 value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var ok = UInt128.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex);
            value = ok && hex <= (UInt128)ulong.MaxValue ? (Int128)hex : 0;
            return ok && hex <= (UInt128)ulong.MaxValue;
        }
        return Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool IsInteger(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte);

    private static object? Fail(DocNode node, string path, BindContext context, string message, out bool ok)
    {
        ok = false;
        context.Error(node.Line, path, message);
        return null;
    }

    internal static string Describe(DocNode node) => node switch
    {
        MappingNode => "a mapping",
        SequenceNode => "a list",
        ScalarNode { IsString: true } s => $"\"{s.Value}\"",
        ScalarNode s => s.Value,
        _ => "?",
    };
}
