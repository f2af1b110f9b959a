namespace Tabby.Bgp.Wire;

/// <summary>
/// Builds a <see cref="ValueList{T}"/> from a collection expression. Without it, C# would build <c>[a, b]</c> as a
/// collection initializer (a default list, then <c>Add</c> per item) and, <c>Add</c> returning a new list, silently
/// produce an empty one.
/// </summary>
public static class ValueListBuilder
{
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());
}
