using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Rib;

/// <summary>One peer's Adj-RIB-Out as one bit per Loc-RIB slot: advertised to the peer or not.</summary>
/// <remarks>
/// What was sent is not kept: it is the current best path after the same rewrites and policy, which the writer
/// can compute again, and a route refresh re-exports from the Loc-RIB. The bit is what a withdrawal needs (send
/// it only for what the peer has) and what the counts come from. A table of 100,000 prefixes costs 12.5 KB per
/// peer instead of an entry per prefix, which is what lets one speaker serve thousands of peers. Slots are the
/// Loc-RIB's: a slot is reused only after its prefix's withdrawal has been reported, and every writer sees
/// changes in order, so a bit never outlives its prefix. Single-threaded (the peer's writer).
/// </remarks>
public sealed class AdjRibOut
{
    private ulong[] _bits = [];
    private int _count;
    private int _countV6;

    public int AdvertisedCount => _count;

    /// <summary>Prefixes advertised in one family.</summary>
    public int AdvertisedIn(BgpFamily family) => family.IsIpv6 ? _countV6 : _count - _countV6;

    public bool IsAdvertised(int slot) => (slot >> 6) < _bits.Length && (_bits[slot >> 6] & (1UL << slot)) != 0;

    /// <summary>Records the prefix in <paramref name="slot"/> as advertised; false if it already was.</summary>
    public bool MarkAdvertised(int slot, bool ipv6)
    {
        var word = slot >> 6;
        if (word >= _bits.Length)
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        var bit = 1UL << slot;
        if ((_bits[word] & bit) != 0)
            return false;
        _bits[word] |= bit;
        _count++;
        if (ipv6)
            _countV6++;
        return true;
    }

    /// <summary>Records the prefix in <paramref name="slot"/> as not advertised; true if it was, so a withdrawal is due.</summary>
    public bool MarkWithdrawn(int slot, bool ipv6)
    {
        if (!IsAdvertised(slot))
            return false;
        _bits[slot >> 6] &= ~(1UL << slot);
        _count--;
        if (ipv6)
            _countV6--;
        return true;
    }

    /// <summary>Forgets everything (the session went down); the next session starts from nothing advertised.</summary>
    public void Reset()
    {
        _bits = [];
        _count = 0;
        _countV6 = 0;
    }
}
