using Tabby.Linux.Netlink.Routes;

namespace Tabby.Linux.Netlink.Events;

/// <summary>A route was added, replaced, or (Removed) deleted.</summary>
public sealed record RouteEvent(Route Route, bool Removed) : NetlinkEvent;
