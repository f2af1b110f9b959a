namespace Tabby.Bench.Scale;

/// <summary>Nearest-rank percentiles, the way the benchmark lines report medians and peaks.</summary>
internal static class Percentile
{
    /// <summary>The smallest value with at least <paramref name="percentile"/> % of the values at or below it; NaN for none.</summary>
    public static double Of(IEnumerable<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
