using Tabby.Core.Addressing;
using Tabby.Ipam.Addressing;

namespace Tabby.Ipam.Pools;

/// <summary>The blocks of a pool in the order a host tries them: from a starting point fixed by the host's name, wrapping round.</summary>
/// <remarks>
/// Seeding by host name (as Calico does) makes each host start somewhere else, so hosts claiming
/// blocks at the same moment rarely race for the same one, and a host's retries revisit the same
/// blocks in the same order. Single-address blocks start at a random point instead.
/// </remarks>
public static class BlockCandidates
{
    public static IEnumerable<IpPrefix> For(PoolInfo pool, string host)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var count = pool.BlockCount;
        var random = pool.BlockSize == pool.Cidr.MaxLength ? new Random() : new Random(unchecked((int)Fnv32(host)));
        var start = (new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & UInt128.MaxValue) % count;
        for (UInt128 i = 0; i < count; i++)
        {
            var index = start + i;
            if (index >= count)
                index -= count;
            yield return IpamAddress.BlockAt(pool.Cidr, pool.BlockSize, index);
        }
    }

    internal static uint Fnv32(string text)
    {
        // FNV-1 32-bit, Go's hash/fnv New32, over the UTF-8 bytes.
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash *= 16777619u;
            hash ^= b;
        }

        return hash;
    }
}
