using System.Globalization;
using System.Text;

namespace Tabby.Bench.Bgp;

/// <summary>`./run bench bgp`: 100,000 /32s reflected from a sender to a receiver through Tabby, BIRD, FRR and GoBGP, and 5,000 sessions to Tabby and to BIRD.</summary>
/// <remarks>
/// Two scenarios per device. "bird": real BIRD speakers send and receive, as in a network; this one gives the
/// headline keys. "harness": the benchmark's own minimal peers, which take the sender's and receiver's work out
/// of the figures (kept as harness_* keys, for Tabby and BIRD). Every phase has a deadline; what does not arrive
/// by then counts in "lost" and its time is null, so the line is always valid JSON.
/// </remarks>
public static class BgpPropagationBench
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(120);

    public static async Task<string> RunAsync(int prefixes = 100_000, int sessions = 5000)
    {
        var work = Directory.CreateTempSubdirectory("tabby-bench-bgp-").FullName;
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        try
        {
            // TABBY_BENCH_DUTS=tabby,bird narrows a run while tuning; TABBY_BENCH_PARTS=bird,harness,sessions picks scenarios.
            var kinds = Environment.GetEnvironmentVariable("TABBY_BENCH_DUTS")?.Split(',') ?? ["tabby", "bird", "frr", "gobgp"];
            var parts = Environment.GetEnvironmentVariable("TABBY_BENCH_PARTS")?.Split(',') ?? ["bird", "harness", "sessions"];
            var network = new Dictionary<string, PropagationResult>();
            var harness = new Dictionary<string, PropagationResult>();
            if (parts.Contains("bird"))
            {
                foreach (var kind in kinds)
                {
                    network[kind] = await BirdPropagation.RunAsync(kind, prefixes, Path.Combine(work, "bird-" + kind), s_deadline).ConfigureAwait(false);
                    Console.Error.WriteLine($"{kind} (BIRD sender and receiver): {network[kind]}");
                }
            }
            if (parts.Contains("harness"))
            {
                foreach (var kind in kinds.Where(k => k is "tabby" or "bird"))
                {
                    harness[kind] = await HarnessPropagation.RunAsync(kind, prefixes, Path.Combine(work, "harness-" + kind), s_deadline).ConfigureAwait(false);
                    Console.Error.WriteLine($"{kind} (harness peers): {harness[kind]}");
                }
            }
            var up = new Dictionary<string, double?>();
            if (parts.Contains("sessions"))
            {
                foreach (var kind in kinds.Where(k => k is "tabby" or "bird"))
                {
                    up[kind] = await SessionsBench.RunAsync(kind, sessions, Path.Combine(work, "sessions-" + kind), s_deadline).ConfigureAwait(false);
                    Console.Error.WriteLine($"{sessions} sessions up: {kind} {Number(up[kind])} ms");
                }
            }
            return Json(prefixes, sessions, network, harness, up);
        }
        finally
        {
            // TABBY_BENCH_KEEP=1 leaves the daemons' configurations and logs for a look after a bad run.
            if (Environment.GetEnvironmentVariable("TABBY_BENCH_KEEP") == "1")
                Console.Error.WriteLine($"kept {work}");
            else
                Directory.Delete(work, recursive: true);
        }
    }

    private static string Json(int prefixes, int sessions, Dictionary<string, PropagationResult> network, Dictionary<string, PropagationResult> harness, Dictionary<string, double?> up)
    {
        var json = new StringBuilder();
        void Add(string key, double? value, string format = "F0") =>
            json.Append(CultureInfo.InvariantCulture, $",\"{key}\":{(value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "null")}");
        PropagationResult? Get(Dictionary<string, PropagationResult> d, string kind) => d.GetValueOrDefault(kind);

        json.Append(CultureInfo.InvariantCulture, $"{{\"bench\":\"bgp-propagation\",\"prefixes\":{prefixes}");
        foreach (var kind in new[] { "tabby", "bird", "frr", "gobgp" })
            Add($"{kind}_ms", Get(network, kind)?.AnnounceMs);
        var tabby = Get(network, "tabby");
        var bird = Get(network, "bird");
        Add("tabby_vs_bird", tabby?.AnnounceMs / bird?.AnnounceMs, "F2");
        Add("tabby_first_ms", tabby?.FirstMs, "F2");
        Add("bird_first_ms", bird?.FirstMs, "F2");
        Add("withdraw_tabby_ms", tabby?.WithdrawMs);
        Add("withdraw_bird_ms", bird?.WithdrawMs);
        Add("tabby_rss_mb", tabby?.RssMb);
        Add("bird_rss_mb", bird?.RssMb);
        Add("tabby_cpu_ms", tabby?.AnnounceCpuMs);
        Add("bird_cpu_ms", bird?.AnnounceCpuMs);
        Add("lost", network.Values.Concat(harness.Values).Sum(r => r.Lost));
        Add("sessions", sessions);
        Add("tabby_sessions_up_ms", up.GetValueOrDefault("tabby"));
        Add("bird_sessions_up_ms", up.GetValueOrDefault("bird"));
        var harnessTabby = Get(harness, "tabby");
        var harnessBird = Get(harness, "bird");
        Add("harness_tabby_ms", harnessTabby?.AnnounceMs);
        Add("harness_bird_ms", harnessBird?.AnnounceMs);
        Add("harness_tabby_first_ms", harnessTabby?.FirstMs, "F2");
        Add("harness_bird_first_ms", harnessBird?.FirstMs, "F2");
        Add("harness_withdraw_tabby_ms", harnessTabby?.WithdrawMs);
        Add("harness_withdraw_bird_ms", harnessBird?.WithdrawMs);
        Add("harness_tabby_rss_mb", harnessTabby?.RssMb);
        json.Append('}');
        return json.ToString();
    }

    private static string Number(double? ms) => ms is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "null";
}
