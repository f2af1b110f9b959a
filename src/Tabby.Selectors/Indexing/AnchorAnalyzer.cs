using Tabby.Selectors.Syntax;

namespace Tabby.Selectors.Indexing;

/// <summary>Finds the cheapest set of label atoms, one of which every matching label set must hold.</summary>
/// <remarks>
/// A generalisation of the label restrictions for indexing: an &amp;&amp; needs only its most selective
/// operand's atoms, and an || is anchored by the union of its operands' atoms when each has some,
/// so <c>app == "a" || team == "t"</c> is indexed under both values instead of falling back.
/// '!' is pushed down (De Morgan), so <c>!(a != "x")</c> anchors on a == "x".
/// </remarks>
internal static class AnchorAnalyzer
{
    /// <summary>Returns null when no atom is necessary (the selector must fall back), empty when nothing can match.</summary>
    public static LabelAtom[]? Analyze(SelectorNode root, Func<LabelAtom, long> cost) => Walk(root, negated: false, cost);

    private static LabelAtom[]? Walk(SelectorNode node, bool negated, Func<LabelAtom, long> cost)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
                return negated ? [] : null;
            case NodeKind.Global:
                return negated ? [new LabelAtom(Selector.NamespaceLabel, null)] : null;
            case NodeKind.Has:
                return negated ? null : [new LabelAtom(node.Key!, null)];
            case NodeKind.Equals when !negated:
            case NodeKind.NotEquals when negated:
                return [new LabelAtom(node.Key!, node.Value)];
            case NodeKind.In when !negated:
            case NodeKind.NotIn when negated:
                return [.. node.Values!.Select(v => new LabelAtom(node.Key!, v))];
            case NodeKind.Contains or NodeKind.StartsWith or NodeKind.EndsWith when !negated:
                return [new LabelAtom(node.Key!, null)];
            case NodeKind.Not:
                return Walk(node.Children[0], !negated, cost);
            case NodeKind.And:
            case NodeKind.Or:
                return (node.Kind == NodeKind.And) != negated
                    ? Conjunction(node.Children, negated, cost)
                    : Disjunction(node.Children, negated, cost);
            default:
                return null;
        }
    }

    private static LabelAtom[]? Conjunction(SelectorNode[] operands, bool negated, Func<LabelAtom, long> cost)
    {
        LabelAtom[]? best = null;
        var bestCost = long.MaxValue;
        foreach (var operand in operands)
        {
            var atoms = Walk(operand, negated, cost);
            if (atoms is null)
                continue;
            if (atoms.Length == 0)
                return atoms;
            var c = atoms.Sum(cost);
            if (c < bestCost)
            {
                best = atoms;
                bestCost = c;
            }
        }
        return best;
    }

    private static LabelAtom[]? Disjunction(SelectorNode[] operands, bool negated, Func<LabelAtom, long> cost)
    {
        var union = new HashSet<LabelAtom>();
        foreach (var operand in operands)
        {
            var atoms = Walk(operand, negated, cost);
            if (atoms is null)
                return null;
            union.UnionWith(atoms);
        }
        // An atom has(k) already covers every k == v atom; keeping both would only visit endpoints twice.
        union.RemoveWhere(a => a.Value is not null && union.Contains(new LabelAtom(a.Key, null)));
        return [.. union];
    }
}
