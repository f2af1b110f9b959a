namespace Tabby.Cli.Bgp;

/// <summary>One address family of a neighbour in the status report.</summary>
internal sealed record BgpFamilyReport(
    string Family,
    long PrefixesReceived,
    long PrefixesAdvertised,
    int StalePrefixes,
    long Skipped,
    string GracefulRestart,
    string PeerGracefulRestart,
    bool EndOfRibReceived,
    bool EndOfRibSent);
