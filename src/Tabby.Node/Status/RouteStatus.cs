namespace Tabby.Node.Status;

/// <summary>One route the agent holds, as `ip route` would print it.</summary>
public sealed record RouteStatus(string Destination, string Kind, string Target);
