using System.Net;
using Tabby.Bgp.Session;

namespace Tabby.Bgp.Speaker;

/// <summary>A snapshot of one neighbour for `tabby bgp status` and metrics.</summary>
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
    string? LastError);
