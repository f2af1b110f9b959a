namespace Tabby.Bgp.Wire;

/// <summary>One AS_PATH segment: a type and 1-255 AS numbers.</summary>
public readonly record struct AsPathSegment(AsPathSegmentType Type, ValueList<uint> Asns)
{
    public const int MaxAsns = 255;

    public bool IsConfederation => Type is AsPathSegmentType.ConfedSequence or AsPathSegmentType.ConfedSet;

    /// <summary>The segment's weight in path length: each AS of a sequence, 1 for a set, 0 for confederation segments.</summary>
    public int PathLength => Type switch
    {
        AsPathSegmentType.AsSequence => Asns.Count,
        AsPathSegmentType.AsSet => 1,
        _ => 0,
    };

    public override string ToString() => Type switch
    {
        AsPathSegmentType.AsSequence => string.Join(' ', Asns),
        AsPathSegmentType.AsSet => "{" + string.Join(',', Asns) + "}",
        AsPathSegmentType.ConfedSequence => "(" + string.Join(' ', Asns) + ")",
        _ => "[" + string.Join(',', Asns) + "]",
    };
}
