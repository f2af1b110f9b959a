namespace Tabby.Cli.Bgp;

/// <summary>One best path in the control socket's answer to "routes".</summary>
internal sealed record BgpRouteReport(string Prefix, string From, bool Stale, string? NextHop, uint? LocalPref);
