namespace Tabby.Selectors.Evaluation;

/// <summary>a || b with its operands in fields rather than an array (one pointer hop fewer).</summary>
internal sealed class Or2Evaluator(Evaluator left, Evaluator right) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) => left.Evaluate(labels) || right.Evaluate(labels);
}
