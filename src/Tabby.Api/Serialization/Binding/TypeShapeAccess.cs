namespace Tabby.Api.Serialization.Binding;

/// <summary>Reads a model object's fields by their API names, for checks that apply alike to every field.</summary>
internal static class TypeShapeAccess
{
    public static IEnumerable<(string Name, object? Value)> Fields(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TypeShape.Of(value.GetType()).Fields.Select(f => (f.Name, f.Property.GetValue(value)));
    }
}
