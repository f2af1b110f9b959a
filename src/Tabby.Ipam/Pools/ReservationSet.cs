using Tabby.Api.Resources;
using Tabby.Core.Addressing;

namespace Tabby.Ipam.Pools;

/// <summary>The address ranges IPReservations keep out of allocation.</summary>
public sealed class ReservationSet
{
    private readonly IpPrefix[] _ranges;

    public ReservationSet(IEnumerable<IpPrefix> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        _ranges = [.. ranges];
    }

    /// <summary>No reservations.</summary>
    public static ReservationSet None { get; } = new([]);

    /// <summary>Every reserved range of every IPReservation (an unparsable range, which validation refuses, is ignored).</summary>
    public static ReservationSet From(IEnumerable<IPReservation> reservations)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        var ranges = new List<IpPrefix>();
        foreach (var reservation in reservations)
        {
            foreach (var text in reservation.Spec.ReservedCidrs ?? [])
            {
                if (IpPrefix.TryParse(text.AsSpan(), out var cidr, out _))
                    ranges.Add(cidr);
                else if (Addressing.IpamAddress.TryParse(text, out var single, out _))
                    ranges.Add(single);
            }
        }

        return new ReservationSet(ranges);
    }

    public IReadOnlyList<IpPrefix> Ranges => _ranges;

    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>True when the address is reserved.</summary>
    public bool MatchesAddress(IpPrefix address)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(address))
                return true;
        }

        return false;
    }

    /// <summary>True when one reservation covers all of <paramref name="cidr"/>.</summary>
    public bool MatchesWhole(IpPrefix cidr)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(cidr))
                return true;
        }

        return false;
    }

    /// <summary>True when any reserved address lies inside <paramref name="cidr"/>.</summary>
    public bool MatchesSome(IpPrefix cidr)
    {
        foreach (var range in _ranges)
        {
            if (range.Contains(cidr) || cidr.Contains(range))
                return true;
        }

        return false;
    }
}
