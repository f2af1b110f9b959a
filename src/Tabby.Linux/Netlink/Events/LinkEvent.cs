using Tabby.Linux.Netlink.Links;

namespace Tabby.Linux.Netlink.Events;

/// <summary>A link appeared, changed, or (Removed) went away.</summary>
public sealed record LinkEvent(Link Link, bool Removed) : NetlinkEvent;
