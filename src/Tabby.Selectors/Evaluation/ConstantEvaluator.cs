namespace Tabby.Selectors.Evaluation;

/// <summary>all() and its negation.</summary>
internal sealed class ConstantEvaluator(bool result) : Evaluator
{
    public static ConstantEvaluator True { get; } = new(true);

    public static ConstantEvaluator False { get; } = new(false);

    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) => result;
}
