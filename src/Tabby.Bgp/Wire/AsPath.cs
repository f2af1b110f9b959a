namespace Tabby.Bgp.Wire;

/// <summary>An AS_PATH as a list of segments, always held with 4-octet AS numbers.</summary>
public sealed record AsPath(ValueList<AsPathSegment> Segments)
{
    public static AsPath Empty { get; } = new(ValueList<AsPathSegment>.Empty);

    /// <summary>A path of one AS_SEQUENCE, the usual shape.</summary>
    public static AsPath Sequence(params uint[] asns) =>
        asns.Length == 0 ? Empty : new AsPath(new ValueList<AsPathSegment>([new AsPathSegment(AsPathSegmentType.AsSequence, asns)]));

    /// <summary>Path length for best-path selection (RFC 4271 9.1.2.2 a): a set counts 1, confederation segments 0.</summary>
    public int Length
    {
        get
        {
            var n = 0;
            foreach (var s in Segments)
                n += s.PathLength;
            return n;
        }
    }

    /// <summary>The AS the route was learned from (first AS of a leading AS_SEQUENCE), or 0 for a local path; used for MED comparison.</summary>
    public uint NeighborAs
    {
        get
        {
            foreach (var s in Segments)
            {
                if (s.IsConfederation)
                    continue;
                return s.Type == AsPathSegmentType.AsSequence ? s.Asns[0] : 0;
            }
            return 0;
        }
    }

    public bool Contains(uint asn)
    {
        foreach (var s in Segments)
        {
            if (s.Asns.Contains(asn))
                return true;
        }
        return false;
    }

    /// <summary>True if any AS needs 4 octets (outside confederation segments, which AS4_PATH never carries).</summary>
    internal bool NeedsAs4Path
    {
        get
        {
            foreach (var s in Segments)
            {
                if (s.IsConfederation)
                    continue;
                foreach (var a in s.Asns)
                {
                    if (a > ushort.MaxValue)
                        return true;
                }
            }
            return false;
        }
    }

    /// <summary>Returns the path with <paramref name="asn"/> prepended <paramref name="count"/> times to the leading sequence.</summary>
    public AsPath Prepend(uint asn, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
            return this;
        var segments = new List<AsPathSegment>(Segments);
        while (count > 0)
        {
            if (segments.Count > 0 && segments[0].Type == AsPathSegmentType.AsSequence && segments[0].Asns.Count < AsPathSegment.MaxAsns)
            {
                var room = Math.Min(count, AsPathSegment.MaxAsns - segments[0].Asns.Count);
                var asns = new uint[segments[0].Asns.Count + room];
                asns.AsSpan(0, room).Fill(asn);
                segments[0].Asns.AsSpan().CopyTo(asns.AsSpan(room));
                segments[0] = new AsPathSegment(AsPathSegmentType.AsSequence, asns);
                count -= room;
            }
            else
            {
                var n = Math.Min(count, AsPathSegment.MaxAsns);
                var asns = new uint[n];
                asns.AsSpan().Fill(asn);
                segments.Insert(0, new AsPathSegment(AsPathSegmentType.AsSequence, asns));
                count -= n;
            }
        }
        return new AsPath(segments.ToArray());
    }

    public override string ToString() => string.Join(' ', Segments.ToArray().Select(s => s.ToString()));
}
