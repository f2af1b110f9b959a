using System.Diagnostics;
using System.Globalization;
using Tabby.Selectors;
using Tabby.Selectors.Indexing;

namespace Tabby.Bench.Selectors;

/// <summary>`./run bench selectors`: endpoint label updates through the selector index versus evaluating every selector.</summary>
/// <remarks>
/// The cluster is shaped like a real one: endpoints carry app, tier, env, version, a namespace
/// label and (30%) a role. Selectors are unique, as the calc graph dedupes them by ID; with this
/// seed: 55% <c>app == "a" &amp;&amp; tier in {...}</c>, 14% <c>app == "a" || role == "r" &amp;&amp; env == "prod"</c>,
/// 14% <c>app in {...} &amp;&amp; version != "v"</c>, 17% namespace-scoped ones with <c>has(role)</c>,
/// <c>!has(role)</c>, <c>env != ...</c> or <c>app starts with</c>, and a handful of fallback
/// (<c>!has(x)</c>, <c>version != "v" &amp;&amp; tier != "t"</c>) and <c>all()</c>/<c>global()</c> selectors.
/// Updates: 40% version bumps, 20% tier, 15% env, 20% role added/changed/removed, 5% app moves.
/// "Scan" is the alternative the index replaces: evaluate every selector against the new labels.
/// </remarks>
public static class SelectorsBench
{
    private const int Seed = 20261128;
    private const int IndexUpdates = 200_000;
    private const int ScanUpdates = 1_000;
    private const int Rounds = 50;
    // Long enough that both sides run tier-1 (profile-guided) code before the timed rounds: the
    // runtime re-JITs hot methods a few hundred milliseconds in, and with 5,000 updates the first
    // rounds still ran part of the index on unoptimized code (10% slower than a repeat of them).
    private const int Warmup = 20_000;

    private static readonly string[] s_tiers = ["frontend", "backend", "db", "cache"];
    private static readonly string[] s_envs = ["prod", "prod", "staging", "dev"];
    private static readonly string[] s_versions = ["v1", "v2", "v3", "v4", "v5"];

    public static string Run(int selectors = 10000, int endpoints = 100000)
    {
        var random = new Random(Seed);
        var apps = Math.Max(1, endpoints / 50);
        var namespaces = Math.Max(1, apps / 10);
        const int roles = 100;

        var labels = new Dictionary<string, string>[endpoints];
        for (var i = 0; i < endpoints; i++)
            labels[i] = RandomEndpoint(random, apps, namespaces, roles);
        var selectorList = MakeSelectors(random, selectors, apps, namespaces, roles);

        long events = 0;
        var index = new SelectorIndex((_, _) => events++, (_, _) => events++);
        var ids = new string[endpoints];
        for (var i = 0; i < endpoints; i++)
        {
            ids[i] = "ep" + i.ToString(CultureInfo.InvariantCulture);
            index.UpdateEndpoint(ids[i], labels[i]);
        }
        for (var i = 0; i < selectorList.Count; i++)
            index.UpdateSelector("sel" + i.ToString(CultureInfo.InvariantCulture), selectorList[i]);

        // Pre-compute the updates so the timed loops do only the work being compared (the
        // endpoint's ID included: looking it up in a 100,000-entry array is the harness's work).
        var updates = new (string Endpoint, Dictionary<string, string> Labels)[Warmup + IndexUpdates];
        for (var u = 0; u < updates.Length; u++)
        {
            var e = random.Next(endpoints);
            labels[e] = Relabel(random, labels[e], apps, namespaces, roles);
            updates[u] = (ids[e], labels[e]);
        }

        // Warm up the JIT, then time the two in alternating rounds so that both see the same
        // machine (a shared CI host's load shifts over seconds, which would skew the ratio).
        var matched = 0L;
        for (var u = 0; u < Warmup; u++)
        {
            index.UpdateEndpoint(updates[u].Endpoint, updates[u].Labels);
            if (u % 20 == 0)
                matched += ScanAll(selectorList, updates[u].Labels);
        }
        // Start the timed rounds on a collected heap, so that a collection owed to the setup's
        // garbage does not land in whichever loop happens to allocate next.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var indexTime = TimeSpan.Zero;
        var scanTime = TimeSpan.Zero;
        var sw = new Stopwatch();
        const int indexPerRound = IndexUpdates / Rounds;
        const int scanPerRound = ScanUpdates / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            var first = Warmup + (round * indexPerRound);
            sw.Restart();
            for (var u = first; u < first + indexPerRound; u++)
                index.UpdateEndpoint(updates[u].Endpoint, updates[u].Labels);
            indexTime += sw.Elapsed;

            // The scan evaluates every selector against labels the index has just seen.
            sw.Restart();
            for (var u = first; u < first + scanPerRound; u++)
                matched += ScanAll(selectorList, updates[u].Labels);
            scanTime += sw.Elapsed;
        }
        GC.KeepAlive(matched);
        var indexUs = indexTime.TotalMicroseconds / IndexUpdates;
        var scanUs = scanTime.TotalMicroseconds / ScanUpdates;

        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"bench\":\"selectors\",\"selectors\":{selectorList.Count},\"endpoints\":{endpoints},\"index_us_per_update\":{indexUs:F3},\"scan_us_per_update\":{scanUs:F1},\"speedup\":{scanUs / indexUs:F1}}}");
    }

    private static int ScanAll(List<Selector> selectors, Dictionary<string, string> labels)
    {
        var hits = 0;
        foreach (var selector in selectors)
        {
            if (selector.Matches(labels))
                hits++;
        }
        return hits;
    }

    private static Dictionary<string, string> RandomEndpoint(Random random, int apps, int namespaces, int roles)
    {
        var app = random.Next(apps);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app"] = "app-" + app.ToString(CultureInfo.InvariantCulture),
            ["tier"] = s_tiers[random.Next(s_tiers.Length)],
            ["env"] = s_envs[random.Next(s_envs.Length)],
            ["version"] = s_versions[random.Next(s_versions.Length)],
            [Selector.NamespaceLabel] = "ns-" + (app % namespaces).ToString(CultureInfo.InvariantCulture),
        };
        if (random.Next(10) < 3)
            labels["role"] = "role-" + random.Next(roles).ToString(CultureInfo.InvariantCulture);
        return labels;
    }

    private static Dictionary<string, string> Relabel(Random random, Dictionary<string, string> old, int apps, int namespaces, int roles)
    {
        var labels = new Dictionary<string, string>(old, StringComparer.Ordinal);
        var roll = random.Next(100);
        if (roll < 40)
            labels["version"] = s_versions[random.Next(s_versions.Length)];
        else if (roll < 60)
            labels["tier"] = s_tiers[random.Next(s_tiers.Length)];
        else if (roll < 75)
            labels["env"] = s_envs[random.Next(s_envs.Length)];
        else if (roll < 95)
        {
            if (labels.ContainsKey("role") && random.Next(2) == 0)
                labels.Remove("role");
            else
                labels["role"] = "role-" + random.Next(roles).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            var app = random.Next(apps);
            labels["app"] = "app-" + app.ToString(CultureInfo.InvariantCulture);
            labels[Selector.NamespaceLabel] = "ns-" + (app % namespaces).ToString(CultureInfo.InvariantCulture);
        }
        return labels;
    }

    private static List<Selector> MakeSelectors(Random random, int count, int apps, int namespaces, int roles)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Selector>(count);
        AddUnique(Selector.Parse("all()"));
        AddUnique(Selector.Parse("global()"));
        var attempts = 0;
        while (list.Count < count && attempts++ < count * 20)
            AddUnique(Selector.Parse(RandomSelector(random, apps, namespaces, roles)));
        return list;

        void AddUnique(Selector selector)
        {
            if (seen.Add(selector.Canonical))
                list.Add(selector);
        }
    }

    private static string RandomSelector(Random random, int apps, int namespaces, int roles)
    {
        string App() => "\"app-" + random.Next(apps).ToString(CultureInfo.InvariantCulture) + "\"";
        string Ns() => "\"ns-" + random.Next(namespaces).ToString(CultureInfo.InvariantCulture) + "\"";
        string Role() => "\"role-" + random.Next(roles).ToString(CultureInfo.InvariantCulture) + "\"";
        string Tier() => "\"" + s_tiers[random.Next(s_tiers.Length)] + "\"";
        string Env() => "\"" + s_envs[random.Next(s_envs.Length)] + "\"";
        string Version() => "\"" + s_versions[random.Next(s_versions.Length)] + "\"";

        var roll = random.Next(1000);
        return roll switch
        {
            < 450 => $"app == {App()} && tier in {{{Tier()}, {Tier()}}}",
            < 600 => $"{Selector.NamespaceLabel} == {Ns()} && has(role)",
            < 700 => $"app in {{{App()}, {App()}}} && version != {Version()}",
            < 800 => $"app == {App()} || role == {Role()} && env == \"prod\"",
            < 880 => $"has(role) && env != {Env()} && {Selector.NamespaceLabel} == {Ns()}",
            < 950 => $"{Selector.NamespaceLabel} == {Ns()} && !has(role) && tier != {Tier()}",
            < 985 => $"{Selector.NamespaceLabel} == {Ns()} && app starts with \"app-{random.Next(10).ToString(CultureInfo.InvariantCulture)}\"",
            < 992 => $"has(role) && env != {Env()}",
            < 996 => $"!has(quarantine-{random.Next(5).ToString(CultureInfo.InvariantCulture)})",
            _ => $"version != {Version()} && tier != \"db\"",
        };
    }
}
