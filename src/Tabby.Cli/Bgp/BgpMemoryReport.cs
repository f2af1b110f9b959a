namespace Tabby.Cli.Bgp;

/// <summary>The speaker process's memory as the status report shows it (what benchmarks and people read to size it).</summary>
internal sealed record BgpMemoryReport(long RssBytes, long GcHeapBytes, long GcCommittedBytes, long GcAllocatedBytes, int[] GcCollections, double GcPauseMs);
