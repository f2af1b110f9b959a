using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>An UPDATE message (RFC 4271 4.3) with MP_REACH/MP_UNREACH (RFC 4760) lifted out of the attribute list.</summary>
/// <remarks>
/// When <see cref="TreatAsWithdrawError"/> is set the attributes were malformed in a way RFC 7606 handles by
/// treating every announced prefix (<see cref="Nlri"/> and <see cref="MpReach"/>) as withdrawn; the
/// session must not install them. <see cref="DiscardedAttributes"/> lists attributes dropped under
/// RFC 7606 "attribute discard" (or RFC 6793 for AS4_*), which do not affect the rest.
/// </remarks>
public sealed record BgpUpdate : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Update;

    /// <summary>Withdrawn IPv4 unicast prefixes from the classic field.</summary>
    public ValueList<IpPrefix> WithdrawnRoutes { get; init; }

    public PathAttributes Attributes { get; init; } = PathAttributes.Empty;

    /// <summary>Announced IPv4 unicast prefixes from the classic NLRI field.</summary>
    public ValueList<IpPrefix> Nlri { get; init; }

    public MpNlri? MpReach { get; init; }
    public MpNlri? MpUnreach { get; init; }

    public BgpUpdateError? TreatAsWithdrawError { get; init; }
    public ValueList<byte> DiscardedAttributes { get; init; }

    public bool TreatAsWithdraw => TreatAsWithdrawError is not null;

    /// <summary>True for an End-of-RIB marker (RFC 4724 2): an empty UPDATE for IPv4 unicast, an empty MP_UNREACH_NLRI for others.</summary>
    public bool IsEndOfRib(out BgpFamily family)
    {
        family = default;
        if (!WithdrawnRoutes.IsEmpty || !Nlri.IsEmpty || MpReach is not null || TreatAsWithdraw)
            return false;
        if (MpUnreach is null)
        {
            if (!Attributes.Equals(PathAttributes.Empty))
                return false;
            family = BgpFamily.Ipv4Unicast;
            return true;
        }
        if (!MpUnreach.Prefixes.IsEmpty || !Attributes.Equals(PathAttributes.Empty))
            return false;
        family = MpUnreach.Family;
        return true;
    }

    /// <summary>The End-of-RIB marker for a family.</summary>
    public static BgpUpdate EndOfRib(BgpFamily family) =>
        family == BgpFamily.Ipv4Unicast ? new BgpUpdate() : new BgpUpdate { MpUnreach = new MpNlri(family, default) };

    /// <summary>Every prefix this UPDATE announces (classic and MP); none under treat-as-withdraw.</summary>
    public List<IpPrefix> Announced()
    {
        var list = new List<IpPrefix>();
        if (!TreatAsWithdraw)
            AddAnnounced(list);
        return list;
    }

    /// <summary>Every prefix this UPDATE removes: withdrawn ones plus, under treat-as-withdraw, the announced ones.</summary>
    public List<IpPrefix> Withdrawn()
    {
        var list = new List<IpPrefix>(WithdrawnRoutes.AsSpan().ToArray());
        if (MpUnreach is not null)
            list.AddRange(MpUnreach.Prefixes.AsSpan());
        if (TreatAsWithdraw)
            AddAnnounced(list);
        return list;
    }

    private void AddAnnounced(List<IpPrefix> list)
    {
        list.AddRange(Nlri.AsSpan());
        if (MpReach is not null)
            list.AddRange(MpReach.Prefixes.AsSpan());
    }
}
