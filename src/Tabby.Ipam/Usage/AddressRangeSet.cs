using Tabby.Core.Addressing;

namespace Tabby.Ipam.Usage;

/// <summary>A set of addresses of one family as sorted, disjoint inclusive ranges: pool space minus reservations minus blocks.</summary>
/// <remarks>Reservations may overlap and nest, so counts come from set arithmetic rather than sums over CIDRs.</remarks>
internal sealed class AddressRangeSet
{
    private readonly List<(UInt128 Start, UInt128 End)> _ranges = [];

    public AddressRangeSet(IpPrefix prefix) => _ranges.Add(Range(prefix));

    /// <summary>Takes every address of <paramref name="prefix"/> out of the set.</summary>
    public void Remove(IpPrefix prefix)
    {
        var (start, end) = Range(prefix);
        for (var i = _ranges.Count - 1; i >= 0; i--)
        {
            var r = _ranges[i];
            if (r.End < start || r.Start > end)
                continue;
            _ranges.RemoveAt(i);
            // Insert the right part first so the left one ends up before it.
            if (r.End > end)
                _ranges.Insert(i, (end + 1, r.End));
            if (r.Start < start)
                _ranges.Insert(i, (r.Start, start - 1));
        }
    }

    /// <summary>How many addresses are left, saturating at <see cref="UInt128.MaxValue"/> (a whole IPv6 space has one more).</summary>
    public UInt128 Count
    {
        get
        {
            UInt128 total = 0;
            foreach (var (start, end) in _ranges)
            {
                var size = end - start;
                if (size == UInt128.MaxValue || UInt128.MaxValue - total <= size)
                    return UInt128.MaxValue;
                total += size + 1;
            }

            return total;
        }
    }

    private static (UInt128 Start, UInt128 End) Range(IpPrefix prefix)
    {
        var hostBits = prefix.MaxLength - prefix.Length;
        var span = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return (prefix.Bits, prefix.Bits + span);
    }
}
