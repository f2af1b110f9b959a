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

    /// <summary>A set test; a one-element set becomes == or != so equal meanings print alike.</summary>
    public static SelectorNode InSet(bool negated, string key, IEnumerable<string> values)
    {
        var sorted = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (sorted.Length == 1)
            return Compare(negated ? NodeKind.NotEquals : NodeKind.Equals, key, sorted[0]);
        return new(negated ? NodeKind.NotIn : NodeKind.In, key, null, sorted, s_noChildren);
    }

    /// <summary>Negation; a double negation cancels so the canonical form re-parses to itself.</summary>
    public static SelectorNode Not(SelectorNode operand) =>
        operand.Kind == NodeKind.Not ? operand.Children[0] : new(NodeKind.Not, null, null, null, [operand]);

    /// <summary>A conjunction or disjunction; nested ones of the same kind are flattened.</summary>
    public static SelectorNode Junction(NodeKind kind, IReadOnlyList<SelectorNode> operands)
    {
        if (operands.Count == 1)
            return operands[0];
        var flat = new List<SelectorNode>(operands.Count);
        foreach (var operand in operands)
        {
            if (operand.Kind == kind)
                flat.AddRange(operand.Children);
            else
                flat.Add(operand);
        }
        return new(kind, null, null, null, [.. flat]);
    }
}
