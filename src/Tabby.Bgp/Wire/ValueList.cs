using System.Collections;
using System.Runtime.CompilerServices;

namespace Tabby.Bgp.Wire;

/// <summary>An immutable list with value equality, so records that hold lists compare and hash by content.</summary>
/// <remarks>The default value is the empty list; it never allocates for that case.</remarks>
[CollectionBuilder(typeof(ValueListBuilder), nameof(ValueListBuilder.Create))]
public readonly struct ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    private readonly T[]? _items;

    /// <summary>Wraps an array the caller promises not to mutate afterwards (no copy).</summary>
    public ValueList(T[]? items) => _items = items is null || items.Length == 0 ? null : items;

    public ValueList(IEnumerable<T> items) : this(items.ToArray())
    {
    }

    public static ValueList<T> Empty => default;

    public int Count => _items?.Length ?? 0;
    public bool IsEmpty => _items is null;
    public T this[int index] => (_items ?? [])[index];
    public ReadOnlySpan<T> AsSpan() => _items;

    public static implicit operator ValueList<T>(T[]? items) => new(items);

    public ValueList<T> Add(T item)
    {
        var a = new T[Count + 1];
        AsSpan().CopyTo(a);
        a[^1] = item;
        return new ValueList<T>(a);
    }

    public ValueList<T> Insert(int index, T item)
    {
        var a = new T[Count + 1];
        AsSpan()[..index].CopyTo(a);
        a[index] = item;
        AsSpan()[index..].CopyTo(a.AsSpan(index + 1));
        return new ValueList<T>(a);
    }

    public bool Contains(T item)
    {
        foreach (var x in AsSpan())
        {
            if (EqualityComparer<T>.Default.Equals(x, item))
                return true;
        }
        return false;
    }

    public T[] ToArray() => AsSpan().ToArray();

    public bool Equals(ValueList<T> other)
    {
        var a = AsSpan();
        var b = other.AsSpan();
        if (a.Length != b.Length)
            return false;
        var cmp = EqualityComparer<T>.Default;
        for (var i = 0; i < a.Length; i++)
        {
            if (!cmp.Equals(a[i], b[i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var x in AsSpan())
            h.Add(x);
        return h.ToHashCode();
    }

    public static bool operator ==(ValueList<T> left, ValueList<T> right) => left.Equals(right);
    public static bool operator !=(ValueList<T> left, ValueList<T> right) => !left.Equals(right);

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => (_items ?? []).GetEnumerator();

    public override string ToString() => "[" + string.Join(", ", _items ?? []) + "]";
}
