namespace Tabby.Cli.Bgp;

/// <summary>The control socket's answer to "status": the speaker, its memory and every peer.</summary>
internal sealed record BgpStatusReport(string RouterId, uint As, int BestPaths, BgpMemoryReport Memory, IReadOnlyList<BgpPeerReport> Peers);
