namespace Tabby.Selectors;

/// <summary>What a selector needs of one label key before it can match (a necessary condition, as Calico's).</summary>
public sealed class LabelRestriction
{
    internal LabelRestriction(bool mustBePresent, bool mustBeAbsent, IReadOnlyList<string>? allowedValues)
    {
        MustBePresent = mustBePresent;
        MustBeAbsent = mustBeAbsent;
        AllowedValues = allowedValues;
    }

    /// <summary>The label must be present, e.g. <c>has(a)</c> or <c>a == "x"</c>.</summary>
    public bool MustBePresent { get; }

    /// <summary>The label must be absent, e.g. <c>!has(a)</c>.</summary>
    public bool MustBeAbsent { get; }

    /// <summary>
    /// When not null, the label must have one of these values (sorted ordinally); empty means the
    /// selector can never match. Null means no limit on the value is known.
    /// </summary>
    public IReadOnlyList<string>? AllowedValues { get; }

    public override string ToString() =>
        MustBeAbsent ? (MustBePresent ? "impossible" : "absent")
        : AllowedValues is { } values ? "one of {" + string.Join(", ", values) + "}"
        : MustBePresent ? "present" : "any";
}
