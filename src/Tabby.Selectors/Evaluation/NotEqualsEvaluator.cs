namespace Tabby.Selectors.Evaluation;

/// <summary>key != "value": true when the label is absent, as in Calico.</summary>
internal sealed class NotEqualsEvaluator(string key, string value) : Evaluator
{
    public override bool Evaluate(IReadOnlyDictionary<string, string> labels) =>
        !labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal);
}
