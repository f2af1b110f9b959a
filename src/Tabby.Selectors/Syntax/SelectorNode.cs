namespace Tabby.Selectors.Syntax;

/// <summary>One node of a selector's syntax tree; immutable once built.</summary>
/// <remarks>
/// One class with a kind rather than a class per operator: the tree is only walked by a few
/// switch-based passes (printing, restrictions, compiling), and evaluation runs on the compiled
/// evaluators, not on this tree.
/// </remarks>
internal sealed class SelectorNode
{
    private static readonly SelectorNode[] s_noChildren = [];

    private SelectorNode(NodeKind kind, string? key, string? value, string[]? values, SelectorNode[] children)
    {
        Kind = kind;
        Key = key;
        Value = value;
        Values = values;
        Children = children;
    }

    public static SelectorNode All { get; } = new(NodeKind.All, null, null, null, s_noChildren);

    public static SelectorNode Global { get; } = new(NodeKind.Global, null, null, null, s_noChildren);

    public NodeKind Kind { get; }

    /// <summary>The label key, for the comparison kinds and has().</summary>
    public string? Key { get; }

    /// <summary>The literal, for ==, !=, contains, starts with and ends with.</summary>
    public string? Value { get; }

    /// <summary>The set for in and not in: sorted ordinally, without duplicates.</summary>
    public string[]? Values { get; }

    public SelectorNode[] Children { get; }

    public static SelectorNode Has(string key) => new(NodeKind.Has, key, null, null, s_noChildren);

    public static SelectorNode Compare(NodeKind kind, string key, string value) => new(kind, key, value, null, s_noChildren);

    /// <summary>A set test; the set is sorted by code point (Go's string order, as Calico's) without duplicates.</summary>
    /// <remarks>A one-element set stays a set: Calico prints it as one, so its canonical form and ID differ from ==.</remarks>
    public static SelectorNode InSet(bool negated, string key, IEnumerable<string> values)
    {
        var sorted = values.Distinct(StringComparer.Ordinal).Order(CodePointComparer.Instance).ToArray();
        return new(negated ? NodeKind.NotIn : NodeKind.In, key, null, sorted, s_noChildren);
    }

    /// <summary>Negation. A negated negation is kept, as Calico keeps it (<c>!(!has(a))</c> prints as <c>!!has(a)</c>).</summary>
    public static SelectorNode Not(SelectorNode operand) => new(NodeKind.Not, null, null, null, [operand]);

    /// <summary>
    /// A conjunction or disjunction of the operands of one run of the operator; a parenthesised
    /// group of the same operator stays a child of its own, as in Calico's tree.
    /// </summary>
    public static SelectorNode Junction(NodeKind kind, IReadOnlyList<SelectorNode> operands) =>
        operands.Count == 1 ? operands[0] : new(kind, null, null, null, [.. operands]);

    /// <summary>A node of the same kind and fields with other children (for rewriting passes).</summary>
    public SelectorNode WithChildren(SelectorNode[] children) => new(Kind, Key, Value, Values, children);
}
