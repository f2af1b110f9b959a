using System.Collections.Frozen;

namespace Tabby.Selectors.Evaluation;

/// <summary>key in {...} (or, with <c>negated</c>, key not in {...}, which matches an absent label).</summary>
internal sealed class InSetEvaluator : Evaluator
{
    // Below this size a linear ordinal scan beats hashing the label value.
    private const int LinearLimit = 6;

    private readonly string _key;
    private readonly bool _negated;
    private readonly string[] _small;
    private readonly FrozenSet<string>? _large;

    public InSetEvaluator(string key, string[] values, bool negated)
    {
        _key = key;
        _negated = negated;
        _small = values.Length <= LinearLimit ? values : [];
        _large = values.Length > LinearLimit ? values.ToFrozenSet(StringComparer.Ordinal) : null;
    }

    public override bool Evaluate(IReadOnlyDictionary<string, string> labels)
    {
        if (!labels.TryGetValue(_key, out var actual))
            return _negated;
        return Contains(actual) != _negated;
    }

    private bool Contains(string actual)
    {
        if (_large is not null)
            return _large.Contains(actual);
        foreach (var value in _small)
        {
            if (string.Equals(value, actual, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
