using System.Runtime.CompilerServices;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>Compares export-cache keys by reference: interned attribute sets are shared objects, so identity is equality and costs nothing.</summary>
internal sealed class ExportKeyComparer : IEqualityComparer<(PathAttributes Attributes, RibPeer From, bool V6)>
{
    public static ExportKeyComparer Instance { get; } = new();

    public bool Equals((PathAttributes Attributes, RibPeer From, bool V6) x, (PathAttributes Attributes, RibPeer From, bool V6) y) =>
        ReferenceEquals(x.Attributes, y.Attributes) && ReferenceEquals(x.From, y.From) && x.V6 == y.V6;

    public int GetHashCode((PathAttributes Attributes, RibPeer From, bool V6) key) =>
        HashCode.Combine(RuntimeHelpers.GetHashCode(key.Attributes), RuntimeHelpers.GetHashCode(key.From), key.V6);
}
