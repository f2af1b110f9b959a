using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>Compares export-cache keys by reference: interned attribute sets are shared objects, so identity is equality and costs nothing.</summary>
internal sealed class ExportKeyComparer : IEqualityComparer<(PathAttributes Attributes, RibPeer From, PeerRuntime To, bool V6)>
{
    public static ExportKeyComparer Instance { get; } = new();

    public bool Equals((PathAttributes Attributes, RibPeer From, PeerRuntime To, bool V6) x, (PathAttributes Attributes, RibPeer From, PeerRuntime To, bool V6) y) =>
        ReferenceEquals(x.Attributes, y.Attributes) && ReferenceEquals(x.From, y.From) && ReferenceEquals(x.To, y.To) && x.V6 == y.V6;

    public int GetHashCode((PathAttributes Attributes, RibPeer From, PeerRuntime To, bool V6) key) =>
        HashCode.Combine(
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Attributes),
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.From),
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.To),
            key.V6);
}
