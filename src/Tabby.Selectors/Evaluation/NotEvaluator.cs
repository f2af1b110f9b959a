namespace Tabby.Selectors.Evaluation;

/// <summary>!operand.</summary>
internal sealed class NotEvaluator(Evaluator operand) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) => !operand.Evaluate(labels);
}
