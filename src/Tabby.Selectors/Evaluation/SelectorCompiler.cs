using Tabby.Selectors.Syntax;

namespace Tabby.Selectors.Evaluation;

/// <summary>Turns a selector tree into evaluators.</summary>
internal static class SelectorCompiler
{
    public static Evaluator Compile(SelectorNode node) => node.Kind switch
    {
        NodeKind.All => ConstantEvaluator.True,
        // global() holds for objects without a namespace; see Selector.NamespaceLabel.
        NodeKind.Global => new NotEvaluator(new HasEvaluator(Selector.NamespaceLabel)),
        NodeKind.Has => new HasEvaluator(node.Key!),
        NodeKind.Equals => new EqualsEvaluator(node.Key!, node.Value!),
        NodeKind.NotEquals => new NotEqualsEvaluator(node.Key!, node.Value!),
        NodeKind.Contains => new ContainsEvaluator(node.Key!, node.Value!),
        NodeKind.StartsWith => new StartsWithEvaluator(node.Key!, node.Value!),
        NodeKind.EndsWith => new EndsWithEvaluator(node.Key!, node.Value!),
        NodeKind.In => node.Values!.Length == 0 ? ConstantEvaluator.False : new InSetEvaluator(node.Key!, node.Values, negated: false),
        NodeKind.NotIn => node.Values!.Length == 0 ? ConstantEvaluator.True : new InSetEvaluator(node.Key!, node.Values, negated: true),
        NodeKind.Not => CompileNot(node.Children[0]),
        NodeKind.And => node.Children.Length == 2
            ? new And2Evaluator(Compile(node.Children[0]), Compile(node.Children[1]))
            : new AndEvaluator([.. node.Children.Select(Compile)]),
        NodeKind.Or => node.Children.Length == 2
            ? new Or2Evaluator(Compile(node.Children[0]), Compile(node.Children[1]))
            : new OrEvaluator([.. node.Children.Select(Compile)]),
        _ => throw new InvalidOperationException($"unknown node kind {node.Kind}"),
    };

    // Fold the cheap negations into their positive twins so '!' costs no extra call.
    private static Evaluator CompileNot(SelectorNode operand) => operand.Kind switch
    {
        NodeKind.All => ConstantEvaluator.False,
        NodeKind.Global => new HasEvaluator(Selector.NamespaceLabel),
        NodeKind.Equals => new NotEqualsEvaluator(operand.Key!, operand.Value!),
        NodeKind.NotEquals => new EqualsEvaluator(operand.Key!, operand.Value!),
        _ => new NotEvaluator(Compile(operand)),
    };
}
