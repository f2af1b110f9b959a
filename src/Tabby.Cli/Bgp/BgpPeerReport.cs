namespace Tabby.Cli.Bgp;

/// <summary>One neighbour in the status report.</summary>
internal sealed record BgpPeerReport(
    string Address,
    uint As,
    string Type,
    string State,
    DateTimeOffset? EstablishedAt,
    double? UptimeSeconds,
    int EstablishedTransitions,
    string? LastError,
    string? LastNotificationSent,
    string? LastNotificationReceived,
    long MessagesIn,
    long MessagesOut,
    long PrefixesReceived,
    long PrefixesAdvertised,
    int StalePrefixes,
    long UpdatesReceived,
    IReadOnlyList<BgpFamilyReport> Families);
