using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

using Tabby.Bgp.Tests.Wire;

namespace Tabby.Bench.Bgp;

/// <summary>The long fuzz run of the BGP decoder: mutated valid messages plus garbage, fixed seed, one JSON line.</summary>
/// <remarks>
/// The fuzzer is tests/Tabby.Bgp.Tests/Wire/WireFuzzer.cs, compiled into this project as a linked
/// file so the test run and the long run exercise the same code. Any exception other than BgpWireException, or a
/// successfully decoded message that does not survive re-encode/decode unchanged, is counted; every case ends in one
/// outcome (rejected, round-tripped, treat-as-withdraw, oversize on re-encode, mismatch, exception), and
/// "unaccounted" says how many did not, which must be 0.
/// </remarks>
public static class BgpFuzzBench
{
    public static string Run(long cases, int seed)
    {
        var fuzzer = new WireFuzzer(seed);
        var sw = Stopwatch.StartNew();
        fuzzer.Run(cases, stopOnFailures: false);
        sw.Stop();
        foreach (var f in fuzzer.Failures)
            Console.Error.WriteLine(f);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"bgp-fuzz\",\"cases\":{cases},\"seconds\":{sw.Elapsed.TotalSeconds:F2},\"unexpected_exceptions\":{fuzzer.UnexpectedExceptions + fuzzer.DecodedThenThrew},\"round_trip_mismatches\":{fuzzer.Mismatches},\"decoded\":{fuzzer.Decoded},\"rejected\":{fuzzer.Rejected},\"round_tripped\":{fuzzer.RoundTripped},\"treat_as_withdraw\":{fuzzer.TreatAsWithdraw},\"oversize\":{fuzzer.Oversize},\"unaccounted\":{fuzzer.Unaccounted(cases)}}}");
    }
}
