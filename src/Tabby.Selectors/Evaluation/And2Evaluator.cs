namespace Tabby.Selectors.Evaluation;

/// <summary>a &amp;&amp; b, the commonest shape, with its operands in fields rather than an array (one pointer hop fewer).</summary>
internal sealed class And2Evaluator(Evaluator left, Evaluator right) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) => left.Evaluate(labels) && right.Evaluate(labels);
}
