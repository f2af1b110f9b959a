using Tabby.Ipam.Check;

namespace Tabby.Cli.Ipam;

/// <summary>Prints a check report the way calicoctl prints its findings: what was read, then each kind of problem with its count.</summary>
public static class CheckPrinter
{
    /// <summary>How many entries of one kind are printed unless every one was asked for.</summary>
    public const int DefaultShown = 10;

    public static void Write(TextWriter o, IpamReport report, bool showAll, bool showAllIps)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var p = report.Problems;
        o.WriteLine($"Checked IPAM at datastore revision {report.Revision} ({report.CheckedAt}).");
        o.WriteLine($"Found {s.Blocks} IPAM blocks recording {s.Allocations} allocations ({s.Borrowed} borrowed, {s.CoolingDown} cooling down).");
        o.WriteLine($"Found {s.ActivePools} active IP pools, {s.Handles} handles and {s.Affinities} block affinities.");
        o.WriteLine($"Found {s.WorkloadEndpoints} workload endpoints and {s.Nodes} nodes; they use {s.InUseAddresses} IPs.");
        foreach (var note in report.Notes)
            o.WriteLine($"  note: {note}");
        if (showAllIps)
        {
            foreach (var a in report.Allocations)
                o.WriteLine($"  {a.Ip} allocated in {a.Block} to {a.Handle ?? "<no handle>"} (sequence {a.SequenceNumber}{Owner(a.Node, a.Namespace, a.Pod)}){State(a)}");
        }

        o.WriteLine();
        Section(o, showAll, p.DuplicateAddresses, "IPs held twice (by overlapping blocks or by more than one user)",
            d => $"{d.Ip}: {string.Join(", ", d.Allocations.Select(a => $"block {a.Block} handle {a.Handle ?? "<none>"}").Concat(d.Owners))}");
        var inFlight = s.InFlight > 0 ? $" ({s.InFlight} more, allocated less than {report.LeakGraceSeconds} s ago, are probably being set up)" : "";
        Section(o, showAll, p.LeakedAddresses, "IPs that are allocated in IPAM but not in use" + inFlight,
            l => $"{l.Ip} leaked: block {l.Block}, handle {l.Handle ?? "<none>"}, sequence {l.SequenceNumber}{Owner(l.Node, l.Namespace, l.Pod)}");
        Section(o, showAll, p.UnallocatedInUse, "in-use IPs that are in active IP pools but have no IPAM allocation",
            u => $"{u.Ip} in use by {string.Join(", ", u.Owners)}");
        Section(o, showAll, p.OutsidePools, "in-use IPs that are not in active IP pools",
            u => $"{u.Ip} in use by {string.Join(", ", u.Owners)}");
        Section(o, showAll, p.LeakedHandles, "handles with no matching IPs",
            h => $"{h.Id} (revision {h.ModRevision}) counts {Counts(h.Stored)}");
        Section(o, showAll, p.MissingHandles, "handles mentioned in blocks with no matching handle",
            h => $"{h.Id} holds {Counts(h.Actual)}");
        Section(o, showAll, p.HandleCountMismatches, "handles whose counts disagree with the blocks",
            h => $"{h.Id} counts {Counts(h.Stored)}, the blocks hold {Counts(h.Actual)}");
        Section(o, showAll, p.AffinitiesWithoutBlock, "block affinities whose block does not exist",
            a => $"{a.Host} → {a.Block} ({a.State})");
        Section(o, showAll, p.StaleAffinities, "stale block affinities (the block is affine elsewhere)",
            a => $"{a.Host} → {a.Block}, but the block is affine to {a.BlockAffinity ?? "<nobody>"}");
        Section(o, showAll, p.PendingAffinities, "unfinished block claims or releases (pending affinities)",
            a => $"{a.Host} → {a.Block} ({a.State}, block {(a.BlockExists ? "exists" : "does not exist")})");
        Section(o, showAll, p.InvalidBlocks, "invalid IPAM blocks", b => $"{b.Key}: {b.Reason}");
        o.WriteLine($"Check complete; found {s.Problems} problems.");
    }

    private static void Section<T>(TextWriter o, bool showAll, List<T> items, string what, Func<T, string> line)
    {
        o.WriteLine($"Found {items.Count} {what}.");
        var shown = showAll ? items.Count : Math.Min(items.Count, DefaultShown);
        foreach (var item in items.Take(shown))
            o.WriteLine("  " + line(item));
        if (shown < items.Count)
            o.WriteLine($"  ... and {items.Count - shown} more (--show-problem-ips lists every one)");
    }

    private static string Owner(string? node, string? ns, string? pod) =>
        (node is null ? "" : $", node {node}") + (pod is null ? "" : $", pod {ns}/{pod}");

    private static string State(ReportAllocation a) =>
        a.CoolingDown ? " cooling down"
        : a.InUse ? $" used by {string.Join(", ", a.Owners)}"
        : a.InFlight ? " not in use yet (in flight)"
        : " NOT IN USE";

    private static string Counts(Dictionary<string, int>? counts) =>
        counts is null ? "<unreadable>" : counts.Count == 0 ? "nothing" : string.Join(", ", counts.Select(kv => $"{kv.Value} in {kv.Key}"));
}
