using System.Buffers.Binary;
using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Wire;

/// <summary>Decodes an UPDATE body, applying RFC 4271 6.3 as revised by RFC 7606 and RFC 6793.</summary>
/// <remarks>
/// Session-reset errors throw <see cref="BgpWireException"/>. Errors RFC 7606 downgrades set the
/// first treat-as-withdraw reason and keep parsing, because the NLRI (including MP_REACH_NLRI) must
/// still be found to withdraw it. Attribute-discard errors drop the attribute and note its type.
/// </remarks>
internal static class UpdateDecoder
{
    private const byte WellKnown = 0x40;            // Optional=0, Transitive=1
    private const byte OptionalTransitive = 0xC0;
    private const byte OptionalNonTransitive = 0x80;

    public static BgpUpdate Decode(ReadOnlySpan<byte> body, BgpCodecContext context)
    {
        // Header validation guarantees body.Length >= 4.
        var withdrawnLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (4 + withdrawnLength > body.Length)
            throw BgpWireException.Update(UpdateSubcode.MalformedAttributeList, $"withdrawn routes length {withdrawnLength} runs past the message");
        var withdrawn = NlriCodec.Parse(body.Slice(2, withdrawnLength), false, UpdateSubcode.InvalidNetworkField, "withdrawn routes");
        var attributeLength = BinaryPrimitives.ReadUInt16BigEndian(body[(2 + withdrawnLength)..]);
        var attrStart = 4 + withdrawnLength;
        if (attrStart + attributeLength > body.Length)
            throw BgpWireException.Update(UpdateSubcode.MalformedAttributeList, $"total path attribute length {attributeLength} runs past the message");

        var state = new State(context);
        ParseAttributes(body.Slice(attrStart, attributeLength), ref state);

        var nlri = NlriCodec.Parse(body[(attrStart + attributeLength)..], false, UpdateSubcode.InvalidNetworkField, "NLRI");

        if (state.InvalidNextHop is { } badNextHop && !nlri.IsEmpty)
            state.Withdraw(UpdateSubcode.InvalidNextHopAttribute, $"NEXT_HOP {badNextHop} is not a unicast address");

        var announces = !nlri.IsEmpty || state.MpReach is { Prefixes.IsEmpty: false };
        if (announces && state.Error is null)
        {
            // RFC 7606 3.d: a missing well-known mandatory attribute is treat-as-withdraw. NEXT_HOP is
            // only mandatory when the classic NLRI field is used (RFC 4760 3).
            if (!state.Seen(PathAttributeType.Origin))
                state.Withdraw(UpdateSubcode.MissingWellKnownAttribute, "ORIGIN is missing");
            else if (!state.Seen(PathAttributeType.AsPath))
                state.Withdraw(UpdateSubcode.MissingWellKnownAttribute, "AS_PATH is missing");
            else if (!nlri.IsEmpty && state.NextHop is null && state.InvalidNextHop is null)
                state.Withdraw(UpdateSubcode.MissingWellKnownAttribute, "NEXT_HOP is missing");
        }

        if (!context.FourOctetAs)
            state.MergeAs4();

        return new BgpUpdate
        {
            WithdrawnRoutes = withdrawn,
            Attributes = state.Build(),
            Nlri = nlri,
            MpReach = state.MpReach,
            MpUnreach = state.MpUnreach,
            TreatAsWithdrawError = state.Error,
            DiscardedAttributes = state.Discarded is null ? default : new ValueList<byte>(state.Discarded.ToArray()),
        };
    }

    private static void ParseAttributes(ReadOnlySpan<byte> data, ref State s)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var remaining = data.Length - pos;
            if (remaining < 3)
            {
                // RFC 7606 4: too short for any attribute header; the total length still locates the NLRI.
                s.Withdraw(UpdateSubcode.MalformedAttributeList, "trailing bytes too short for an attribute header");
                return;
            }
            var flags = data[pos];
            var type = data[pos + 1];
            var extended = (flags & (byte)PathAttributeFlags.ExtendedLength) != 0;
            var headerLength = extended ? 4 : 3;
            if (remaining < headerLength)
            {
                s.Withdraw(UpdateSubcode.MalformedAttributeList, "trailing bytes too short for an extended attribute header");
                return;
            }
            int length = extended ? BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]) : data[pos + 2];
            if (headerLength + length > remaining)
            {
                // RFC 7606 4: an attribute overruns the attribute field.
                s.Withdraw(UpdateSubcode.AttributeLengthError, $"attribute {type} length {length} overruns the attribute field");
                return;
            }
            var whole = data.Slice(pos, headerLength + length);
            var value = whole[headerLength..];
            pos += headerLength + length;

            if (s.Seen(type))
            {
                // RFC 7606 3.g: repeated MP attributes reset the session; other repeats are dropped.
                if (type is (byte)PathAttributeType.MpReachNlri or (byte)PathAttributeType.MpUnreachNlri)
                    throw BgpWireException.Update(UpdateSubcode.MalformedAttributeList, $"attribute {type} appears twice");
                s.Discard(type);
                continue;
            }
            s.MarkSeen(type);
            ParseOne(flags, type, value, whole, ref s);
        }
    }

    private static void ParseOne(byte flags, byte type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole, ref State s)
    {
        var ot = (byte)(flags & 0xC0);
        switch ((PathAttributeType)type)
        {
            case PathAttributeType.Origin:
                if (ot != WellKnown)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "ORIGIN flags");
                else if (value.Length != 1)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "ORIGIN length");
                else if (value[0] > 2)
                    s.Withdraw(UpdateSubcode.InvalidOriginAttribute, $"ORIGIN value {value[0]}");
                else
                    s.Origin = (BgpOrigin)value[0];
                break;

            case PathAttributeType.AsPath:
                if (ot != WellKnown)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "AS_PATH flags");
                else if (!TryParseAsPath(value, s.Context.FourOctetAs ? 4 : 2, out var path))
                    s.Withdraw(UpdateSubcode.MalformedAsPath, "AS_PATH segments are malformed");
                else if (s.Context.ExternalPeer && HasConfed(path))
                    s.Withdraw(UpdateSubcode.MalformedAsPath, "AS_PATH from an external peer carries confederation segments"); // RFC 7606 7.2
                else
                    s.AsPath = path;
                break;

            case PathAttributeType.NextHop:
                if (ot != WellKnown)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "NEXT_HOP flags");
                else if (value.Length != 4)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "NEXT_HOP length");
                else if (value[0] == 0 || value[0] >= 224)
                {
                    // RFC 4271 6.3: a semantically invalid next hop (0/8, multicast, class E, broadcast)
                    // means the routes are ignored, not that the session resets. It only matters if the
                    // classic NLRI field is used (RFC 4760 3), which is known after the attributes.
                    s.InvalidNextHop = new IPAddress(value);
                }
                else
                    s.NextHop = new IPAddress(value);
                break;

            case PathAttributeType.MultiExitDisc:
                if (ot != OptionalNonTransitive)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "MULTI_EXIT_DISC flags");
                else if (value.Length != 4)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "MULTI_EXIT_DISC length");
                else
                    s.Med = BinaryPrimitives.ReadUInt32BigEndian(value);
                break;

            case PathAttributeType.LocalPref:
                if (s.Context.ExternalPeer)
                    s.Discard(type); // RFC 4271 5.1.5 / RFC 7606 7.5: ignored from external peers.
                else if (ot != WellKnown)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "LOCAL_PREF flags");
                else if (value.Length != 4)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "LOCAL_PREF length");
                else
                    s.LocalPref = BinaryPrimitives.ReadUInt32BigEndian(value);
                break;

            case PathAttributeType.AtomicAggregate:
                // RFC 7606 7.6: a malformed ATOMIC_AGGREGATE is discarded.
                if (ot != WellKnown || value.Length != 0)
                    s.Discard(type);
                else
                    s.AtomicAggregate = true;
                break;

            case PathAttributeType.Aggregator:
            {
                // RFC 7606 7.7: a malformed AGGREGATOR is discarded; RFC 7607: so is AS 0.
                var asSize = s.Context.FourOctetAs ? 4 : 2;
                if (ot != OptionalTransitive || value.Length != asSize + 4)
                {
                    s.Discard(type);
                    break;
                }
                var asn = asSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value) : BinaryPrimitives.ReadUInt16BigEndian(value);
                if (asn == 0)
                    s.Discard(type);
                else
                    s.Aggregator = new Aggregator(asn, new IPAddress(value[asSize..]));
                break;
            }

            case PathAttributeType.Communities:
                if (ot != OptionalTransitive)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "COMMUNITIES flags");
                else if (value.Length == 0 || value.Length % 4 != 0)
                    s.Withdraw(UpdateSubcode.OptionalAttributeError, "COMMUNITIES length is not a non-zero multiple of 4"); // RFC 7606 7.8
                else
                {
                    var c = new Community[value.Length / 4];
                    for (var i = 0; i < c.Length; i++)
                        c[i] = new Community(BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]));
                    s.Communities = c;
                }
                break;

            case PathAttributeType.OriginatorId:
                if (s.Context.ExternalPeer)
                    s.Discard(type); // RFC 7606 7.9
                else if (ot != OptionalNonTransitive)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "ORIGINATOR_ID flags");
                else if (value.Length != 4)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "ORIGINATOR_ID length");
                else
                    s.OriginatorId = BinaryPrimitives.ReadUInt32BigEndian(value);
                break;

            case PathAttributeType.ClusterList:
                if (s.Context.ExternalPeer)
                    s.Discard(type); // RFC 7606 7.10
                else if (ot != OptionalNonTransitive)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "CLUSTER_LIST flags");
                else if (value.Length == 0 || value.Length % 4 != 0)
                    s.Withdraw(UpdateSubcode.AttributeLengthError, "CLUSTER_LIST length is not a non-zero multiple of 4");
                else
                {
                    var c = new uint[value.Length / 4];
                    for (var i = 0; i < c.Length; i++)
                        c[i] = BinaryPrimitives.ReadUInt32BigEndian(value[(i * 4)..]);
                    s.ClusterList = c;
                }
                break;

            case PathAttributeType.MpReachNlri:
                if (ot != OptionalNonTransitive)
                    throw BgpWireException.Update(UpdateSubcode.AttributeFlagsError, "MP_REACH_NLRI flags", whole.ToArray());
                ParseMpReach(value, ref s);
                break;

            case PathAttributeType.MpUnreachNlri:
                if (ot != OptionalNonTransitive)
                    throw BgpWireException.Update(UpdateSubcode.AttributeFlagsError, "MP_UNREACH_NLRI flags", whole.ToArray());
                ParseMpUnreach(value, ref s);
                break;

            case PathAttributeType.As4Path:
                // RFC 6793 4.1/6: ignored between 4-octet speakers; malformed or confed-carrying ones are discarded.
                if (s.Context.FourOctetAs || ot != OptionalTransitive || !TryParseAsPath(value, 4, out var as4) || HasConfed(as4))
                    s.Discard(type);
                else
                    s.As4Path = as4;
                break;

            case PathAttributeType.As4Aggregator:
                if (s.Context.FourOctetAs || ot != OptionalTransitive || value.Length != 8 || BinaryPrimitives.ReadUInt32BigEndian(value) == 0)
                    s.Discard(type);
                else
                    s.As4Aggregator = new Aggregator(BinaryPrimitives.ReadUInt32BigEndian(value), new IPAddress(value[4..]));
                break;

            case PathAttributeType.LargeCommunity:
                if (ot != OptionalTransitive)
                    s.Withdraw(UpdateSubcode.AttributeFlagsError, "LARGE_COMMUNITY flags");
                else if (value.Length == 0 || value.Length % 12 != 0)
                    s.Withdraw(UpdateSubcode.OptionalAttributeError, "LARGE_COMMUNITY length is not a non-zero multiple of 12"); // RFC 8092 6
                else
                {
                    var c = new LargeCommunity[value.Length / 12];
                    for (var i = 0; i < c.Length; i++)
                    {
                        var v = value[(i * 12)..];
                        c[i] = new LargeCommunity(
                            BinaryPrimitives.ReadUInt32BigEndian(v),
                            BinaryPrimitives.ReadUInt32BigEndian(v[4..]),
                            BinaryPrimitives.ReadUInt32BigEndian(v[8..]));
                    }
                    s.LargeCommunities = c;
                }
                break;

            default:
                if ((flags & (byte)PathAttributeFlags.Optional) == 0)
                    throw BgpWireException.Update(UpdateSubcode.UnrecognizedWellKnownAttribute, $"unrecognised well-known attribute {type}", whole.ToArray());
                if ((flags & (byte)PathAttributeFlags.Transitive) != 0)
                {
                    // RFC 4271 5: kept for propagation with Partial set, since we did not act on it.
                    s.Unknown ??= [];
                    s.Unknown.Add(new RawAttribute(
                        PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial,
                        type,
                        value.ToArray()));
                }
                // Unrecognised optional non-transitive attributes are quietly ignored (RFC 4271 5).
                break;
        }
    }

    private static void ParseMpReach(ReadOnlySpan<byte> value, ref State s)
    {
        // RFC 7606 7.11: a bad next-hop length hides where the NLRI starts, so the session resets.
        if (value.Length < 5)
            throw BgpWireException.Update(UpdateSubcode.OptionalAttributeError, "MP_REACH_NLRI is shorter than its fixed fields");
        var family = new BgpFamily(BinaryPrimitives.ReadUInt16BigEndian(value), value[2]);
        int nhLength = value[3];
        if (4 + nhLength + 1 > value.Length)
            throw BgpWireException.Update(UpdateSubcode.OptionalAttributeError, $"MP_REACH_NLRI next hop length {nhLength} overruns the attribute");
        if (!family.IsSupported)
        {
            s.Discard((byte)PathAttributeType.MpReachNlri);
            return;
        }
        var nh = value.Slice(4, nhLength);
        BgpNextHop nextHop = (family.IsIpv6, nhLength) switch
        {
            (false, 4) => new BgpNextHop(new IPAddress(nh)),
            // RFC 8950: IPv4 NLRI with an IPv6 next hop.
            (_, 16) => new BgpNextHop(new IPAddress(nh)),
            (_, 32) => new BgpNextHop(new IPAddress(nh[..16]), new IPAddress(nh[16..])),
            _ => throw BgpWireException.Update(UpdateSubcode.OptionalAttributeError, $"MP_REACH_NLRI next hop length {nhLength} is wrong for {family}"),
        };
        // The octet after the next hop is Reserved (formerly SNPA count) and ignored (RFC 4760 3).
        var prefixes = NlriCodec.Parse(value[(5 + nhLength)..], family.IsIpv6, UpdateSubcode.InvalidNetworkField, "MP_REACH_NLRI");
        s.MpNextHop = nextHop;
        s.MpReach = new MpNlri(family, prefixes);
    }

    private static void ParseMpUnreach(ReadOnlySpan<byte> value, ref State s)
    {
        if (value.Length < 3)
            throw BgpWireException.Update(UpdateSubcode.OptionalAttributeError, "MP_UNREACH_NLRI is shorter than its fixed fields");
        var family = new BgpFamily(BinaryPrimitives.ReadUInt16BigEndian(value), value[2]);
        if (!family.IsSupported)
        {
            s.Discard((byte)PathAttributeType.MpUnreachNlri);
            return;
        }
        s.MpUnreach = new MpNlri(family, NlriCodec.Parse(value[3..], family.IsIpv6, UpdateSubcode.InvalidNetworkField, "MP_UNREACH_NLRI"));
    }

    /// <summary>Parses segments; false for anything RFC 7606 7.2 calls malformed (bad type, empty or overrunning segment).</summary>
    internal static bool TryParseAsPath(ReadOnlySpan<byte> value, int asSize, out AsPath path)
    {
        path = AsPath.Empty;
        if (value.IsEmpty)
            return true;
        var count = 0;
        for (var p = 0; p < value.Length; count++)
        {
            if (value.Length - p < 2)
                return false;
            var t = value[p];
            int n = value[p + 1];
            if (t is < 1 or > 4 || n == 0)
                return false;
            p += 2 + (n * asSize);
            if (p > value.Length)
                return false;
        }
        var segments = new AsPathSegment[count];
        var pos = 0;
        for (var i = 0; i < count; i++)
        {
            var t = (AsPathSegmentType)value[pos];
            int n = value[pos + 1];
            pos += 2;
            var asns = new uint[n];
            for (var j = 0; j < n; j++, pos += asSize)
                asns[j] = asSize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(value[pos..]) : BinaryPrimitives.ReadUInt16BigEndian(value[pos..]);
            segments[i] = new AsPathSegment(t, asns);
        }
        path = new AsPath(segments);
        return true;
    }

    private static bool HasConfed(AsPath path)
    {
        foreach (var s in path.Segments)
        {
            if (s.IsConfederation)
                return true;
        }
        return false;
    }

    /// <summary>Mutable decode state; one per UPDATE, on the stack.</summary>
    private struct State(BgpCodecContext context)
    {
        private ulong _seen0, _seen1, _seen2, _seen3;

        public readonly BgpCodecContext Context = context;
        public BgpUpdateError? Error;
        public List<byte>? Discarded;
        public BgpOrigin? Origin;
        public AsPath? AsPath;
        public IPAddress? NextHop;
        public IPAddress? InvalidNextHop;
        public BgpNextHop? MpNextHop;
        public uint? Med;
        public uint? LocalPref;
        public bool AtomicAggregate;
        public Aggregator? Aggregator;
        public ValueList<Community> Communities;
        public uint? OriginatorId;
        public ValueList<uint> ClusterList;
        public ValueList<LargeCommunity> LargeCommunities;
        public List<RawAttribute>? Unknown;
        public AsPath? As4Path;
        public Aggregator? As4Aggregator;
        public MpNlri? MpReach;
        public MpNlri? MpUnreach;

        public readonly bool Seen(PathAttributeType type) => Seen((byte)type);

        public readonly bool Seen(byte type) => (type >> 6) switch
        {
            0 => (_seen0 & (1UL << type)) != 0,
            1 => (_seen1 & (1UL << type)) != 0,
            2 => (_seen2 & (1UL << type)) != 0,
            _ => (_seen3 & (1UL << type)) != 0,
        };

        public void MarkSeen(byte type)
        {
            // Shift counts are taken mod 64, so 1UL << type picks the bit within each word.
            switch (type >> 6)
            {
                case 0: _seen0 |= 1UL << type; break;
                case 1: _seen1 |= 1UL << type; break;
                case 2: _seen2 |= 1UL << type; break;
                default: _seen3 |= 1UL << type; break;
            }
        }

        public void Withdraw(UpdateSubcode subcode, string reason) => Error ??= new BgpUpdateError(subcode, reason);

        public void Discard(byte type) => (Discarded ??= []).Add(type);

        /// <summary>RFC 6793 4.2.3: rebuild the true AS_PATH and AGGREGATOR from a 2-octet peer's AS4_* attributes.</summary>
        public void MergeAs4()
        {
            var as4Path = As4Path;
            if (As4Aggregator is not null)
            {
                if (Aggregator is not null && Aggregator.As != BgpOpen.AsTrans)
                {
                    // The aggregator was a 2-octet speaker, so the AS4_* information is stale.
                    as4Path = null;
                }
                else
                {
                    Aggregator = As4Aggregator;
                }
            }
            if (as4Path is null || AsPath is null)
                return;
            var n = AsPath.Length;
            var m = as4Path.Length;
            if (n < m)
                return;
            var need = n - m;
            var merged = new List<AsPathSegment>();
            foreach (var seg in AsPath.Segments)
            {
                if (seg.IsConfederation)
                {
                    if (need == 0 && merged.Count != 0 && !merged[^1].IsConfederation)
                        break;
                    merged.Add(seg);
                    continue;
                }
                if (need == 0)
                    break;
                if (seg.Type == AsPathSegmentType.AsSet)
                {
                    merged.Add(seg);
                    need--;
                }
                else
                {
                    var take = Math.Min(need, seg.Asns.Count);
                    merged.Add(take == seg.Asns.Count ? seg : new AsPathSegment(seg.Type, seg.Asns.AsSpan()[..take].ToArray()));
                    need -= take;
                }
            }
            merged.AddRange(as4Path.Segments);
            AsPath = new AsPath(merged.ToArray());
        }

        public readonly PathAttributes Build()
        {
            if (Origin is null && AsPath is null && NextHop is null && MpNextHop is null && Med is null && LocalPref is null
                && !AtomicAggregate && Aggregator is null && Communities.IsEmpty && OriginatorId is null && ClusterList.IsEmpty
                && LargeCommunities.IsEmpty && Unknown is null)
                return PathAttributes.Empty;
            return new PathAttributes
            {
                Origin = Origin,
                AsPath = AsPath,
                NextHop = NextHop,
                MpNextHop = MpNextHop,
                Med = Med,
                LocalPref = LocalPref,
                AtomicAggregate = AtomicAggregate,
                Aggregator = Aggregator,
                Communities = Communities,
                OriginatorId = OriginatorId,
                ClusterList = ClusterList,
                LargeCommunities = LargeCommunities,
                Unknown = Unknown is null ? default : new ValueList<RawAttribute>(Unknown.ToArray()),
            };
        }
    }
}
