using System.Globalization;

namespace Tabby.Bench.Ipam;

/// <summary>One timed run: every allocation with its latency, the wall time, and the round trips it took.</summary>
internal sealed class Scenario
{
    private readonly IRoundTrips _counts;
    private (long Gets, long Lists, long Txns, long Revisions) _before;
    private (long Gets, long Lists, long Txns, long Revisions) _used;
    private (long Gets, long Lists, long Txns, long Revisions) _paused;
    private TimeSpan _elapsed;

    public Scenario(string name, int hosts, IRoundTrips counts)
    {
        Name = name;
        Hosts = hosts;
        _counts = counts;
        _before = (counts.Gets, counts.Lists, counts.Txns, counts.Revisions);
    }

    public string Name { get; }

    public int Hosts { get; }

    public List<(string Handle, string Ip, double Ms)> Allocations { get; } = [];

    public double PerSecond => Allocations.Count / _elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    /// <summary>Said after the figures (what else was measured).</summary>
    public string? Note { get; set; }

    public void Add((string Handle, string Ip, double Ms) allocation) => Allocations.Add(allocation);

    /// <summary>Stops counting round trips (for work between allocations that is not theirs).</summary>
    public void Pause() => _paused = (_counts.Gets, _counts.Lists, _counts.Txns, _counts.Revisions);

    public void Resume() => _before = (
        _before.Gets + _counts.Gets - _paused.Gets, _before.Lists + _counts.Lists - _paused.Lists,
        _before.Txns + _counts.Txns - _paused.Txns, _before.Revisions + _counts.Revisions - _paused.Revisions);

    public void Finish(TimeSpan elapsed)
    {
        _elapsed = elapsed;
        _used = (_counts.Gets - _before.Gets, _counts.Lists - _before.Lists, _counts.Txns - _before.Txns, _counts.Revisions - _before.Revisions);
    }

    /// <summary>Allocations that got the address of one of the <paramref name="window"/> allocations before them, which were all still held.</summary>
    public int OverlappingHolds(int window)
    {
        var overlaps = 0;
        for (var i = 0; i < Allocations.Count; i++)
        {
            for (var j = Math.Max(0, i - window + 1); j < i; j++)
            {
                if (Allocations[j].Ip == Allocations[i].Ip)
                    overlaps++;
            }
        }

        return overlaps;
    }

    public string Describe()
    {
        double Per(long n) => (double)n / Allocations.Count;
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"ipam {Name}: {Hosts} hosts, {Allocations.Count} allocations in {_elapsed.TotalSeconds:0.00} s = {PerSecond:0}/s; latency p50 {P50:0.00} ms, p99 {P99:0.00} ms, max {Allocations.Max(a => a.Ms):0.00} ms; per allocation {Per(_used.Gets):0.0} gets, {Per(_used.Lists):0.0} lists, {Per(_used.Txns):0.00} txns, {Per(_used.Revisions):0.0} revision reads");
        return Note is null ? figures : figures + "; " + Note;
    }

    private double Percentile(double p)
    {
        var sorted = Allocations.Select(a => a.Ms).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
