namespace Tabby.Selectors.Evaluation;

/// <summary>key contains "value": false when the label is absent.</summary>
internal sealed class ContainsEvaluator(string key, string value) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(key, out var actual) && actual.Contains(value, StringComparison.Ordinal);
}
