using Tabby.Bench.Scale;

namespace Tabby.Bench.Tests.Scale;

public sealed class PercentileTests
{
    [Theory]
    [InlineData(50, 3)] // nearest rank: ceil(0.5 * 5) = the 3rd
    [InlineData(0, 1)]
    [InlineData(20, 1)]
    [InlineData(21, 2)]
    [InlineData(99, 5)]
    [InlineData(100, 5)]
    public void Nearest_rank_of_unordered_values(double percentile, double expected) =>
        Assert.Equal(expected, Percentile.Of([4, 2, 5, 1, 3], percentile));

    [Fact]
    public void The_median_of_an_even_count_is_the_lower_middle() => Assert.Equal(20, Percentile.Of([40, 10, 30, 20], 50));

    [Fact]
    public void No_values_give_NaN() => Assert.True(double.IsNaN(Percentile.Of([], 50)));

    [Fact]
    public void A_percentile_outside_0_to_100_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([1], 101));
}
