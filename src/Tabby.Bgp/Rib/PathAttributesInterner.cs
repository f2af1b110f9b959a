using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Rib;

/// <summary>Reference-counted dedupe of attribute sets, so 100k prefixes sharing one set hold one object.</summary>
/// <remarks>Not thread-safe: the RIB is single-threaded by design.</remarks>
public sealed class PathAttributesInterner
{
    private readonly Dictionary<PathAttributes, Entry> _sets = [];

    // The last set acquired: an UPDATE's prefixes all share one attribute object, so consecutive
    // acquisitions of the same reference skip the hash lookup (and its deep compare).
    private PathAttributes? _lastInput;
    private Entry? _lastEntry;

    public int Count => _sets.Count;

    /// <summary>Returns the shared instance equal to <paramref name="attributes"/> and counts a reference to it.</summary>
    public PathAttributes Acquire(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (ReferenceEquals(attributes, _lastInput) && _lastEntry is { References: > 0 } last)
        {
            last.References++;
            return last.Shared;
        }
        if (!_sets.TryGetValue(attributes, out var e))
        {
            e = new Entry(attributes);
            _sets.Add(attributes, e);
        }
        else
        {
            e.References++;
        }
        _lastInput = attributes;
        _lastEntry = e;
        return e.Shared;
    }

    /// <summary>Drops one reference; the set is forgotten when none remain.</summary>
    public void Release(PathAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (_sets.TryGetValue(attributes, out var e) && --e.References == 0)
        {
            _sets.Remove(attributes);
            if (ReferenceEquals(e, _lastEntry))
            {
                _lastEntry = null;
                _lastInput = null;
            }
        }
    }

    private sealed class Entry(PathAttributes shared)
    {
        public PathAttributes Shared { get; } = shared;
        public int References { get; set; } = 1;
    }
}
