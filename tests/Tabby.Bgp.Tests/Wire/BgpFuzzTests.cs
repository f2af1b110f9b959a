namespace Tabby.Bgp.Tests.Wire;

public class BgpFuzzTests
{
    [Fact]
    public void Mutated_and_garbage_messages_only_ever_raise_BgpWireException_and_round_trip()
    {
        // Fixed seed: a failure here reproduces exactly; the benchmark runs a million-plus cases.
        var fuzzer = new WireFuzzer(seed: 20261128);
        fuzzer.Run(20_000, stopOnFailures: true);
        Assert.True(fuzzer.Failures.Count == 0, string.Join("\n", fuzzer.Failures));
        // The run must exercise both outcomes, or the mutations are too weak (or too strong).
        Assert.True(fuzzer.Decoded > 2_000, $"only {fuzzer.Decoded} decoded");
        Assert.True(fuzzer.Rejected > 2_000, $"only {fuzzer.Rejected} rejected");
        Assert.True(fuzzer.RoundTripped > 1_000, $"only {fuzzer.RoundTripped} round-tripped");
        // Every case lands in exactly one outcome.
        Assert.Equal(0, fuzzer.Unaccounted(20_000));
    }
}
