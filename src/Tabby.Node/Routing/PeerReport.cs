namespace Tabby.Node.Routing;

/// <summary>One BGP neighbour as `tabby node status` shows it, in calicoctl's columns plus route counts.</summary>
public sealed record PeerReport(
    string Address,
    string Type,
    string State,
    DateTimeOffset? Since,
    string Info,
    long RoutesReceived,
    long RoutesAdvertised,
    string Source);
