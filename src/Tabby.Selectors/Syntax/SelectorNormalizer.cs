namespace Tabby.Selectors.Syntax;

/// <summary>Rewrites a parsed tree into the equivalent tree that evaluation and indexing work on.</summary>
/// <remarks>
/// The parsed tree keeps Calico's shape because the canonical text and ID are printed from it.
/// Matching does not care about that shape, and the evaluators and the index are fastest on the
/// simplest equivalent: double negations cancelled, nested groups of the same operator flattened,
/// and one-value sets turned into == and != (which the index files under one value).
/// </remarks>
internal static class SelectorNormalizer
{
    public static SelectorNode Normalize(SelectorNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.In or NodeKind.NotIn when node.Values!.Length == 1:
                return SelectorNode.Compare(node.Kind == NodeKind.In ? NodeKind.Equals : NodeKind.NotEquals, node.Key!, node.Values[0]);
            case NodeKind.Not:
            {
                var operand = node.Children[0];
                var negated = true;
                while (operand.Kind == NodeKind.Not)
                {
                    operand = operand.Children[0];
                    negated = !negated;
                }
                var inner = Normalize(operand);
                return negated ? SelectorNode.Not(inner) : inner;
            }
            case NodeKind.And or NodeKind.Or:
            {
                var flat = new List<SelectorNode>(node.Children.Length);
                foreach (var child in node.Children)
                {
                    var normal = Normalize(child);
                    if (normal.Kind == node.Kind)
                        flat.AddRange(normal.Children);
                    else
                        flat.Add(normal);
                }
                return node.WithChildren([.. flat]);
            }
            default:
                return node;
        }
    }
}
