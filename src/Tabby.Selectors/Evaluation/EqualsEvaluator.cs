namespace Tabby.Selectors.Evaluation;

/// <summary>key == "value": false when the label is absent.</summary>
internal sealed class EqualsEvaluator(string key, string value) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);
}
