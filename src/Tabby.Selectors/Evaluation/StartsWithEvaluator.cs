namespace Tabby.Selectors.Evaluation;

/// <summary>key starts with "value": false when the label is absent.</summary>
internal sealed class StartsWithEvaluator(string key, string value) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(key, out var actual) && actual.StartsWith(value, StringComparison.Ordinal);
}
