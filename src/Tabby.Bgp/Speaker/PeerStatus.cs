using System.Net;
using Tabby.Bgp.Session;

namespace Tabby.Bgp.Speaker;

/// <summary>A snapshot of one neighbour for `tabby bgp status` and metrics.</summary>
/// <param name="PrefixesReceived">Routes from the peer in the Loc-RIB now, all families.</param>
/// <param name="PrefixesAdvertised">Prefixes advertised to the peer now, all families.</param>
/// <param name="UpdatesReceived">Prefixes the peer has announced over the speaker's lifetime (a counter).</param>
public sealed record PeerStatus(
    IPAddress Address,
    uint RemoteAs,
    BgpSessionState State,
    DateTimeOffset? EstablishedAt,
    long PrefixesReceived,
    long PrefixesAdvertised,
    long MessagesIn,
    long MessagesOut,
    int StalePrefixes,
    string? LastError)
{
    public bool External { get; init; }
    public int EstablishedTransitions { get; init; }
    public long UpdatesReceived { get; init; }
    public string? LastNotificationSent { get; init; }
    public string? LastNotificationReceived { get; init; }
    public IReadOnlyList<FamilyStatus> Families { get; init; } = [];

    /// <summary>How long the session has been Established, at <paramref name="now"/>; null when it is not.</summary>
    public TimeSpan? Uptime(DateTimeOffset now) => State == BgpSessionState.Established && EstablishedAt is { } at ? now - at : null;
}
