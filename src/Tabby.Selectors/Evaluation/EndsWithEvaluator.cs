namespace Tabby.Selectors.Evaluation;

/// <summary>key ends with "value": false when the label is absent.</summary>
internal sealed class EndsWithEvaluator(string key, string value) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(key, out var actual) && actual.EndsWith(value, StringComparison.Ordinal);
}
