namespace Tabby.Selectors.Evaluation;

/// <summary>has(key); also global(), negated, on the namespace label.</summary>
internal sealed class HasEvaluator(string key) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) => labels.ContainsKey(key);
}
