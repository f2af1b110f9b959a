namespace Tabby.Linux.Netlink.Events;

/// <summary>The kernel dropped events (ENOBUFS): the subscriber must resync by dumping.</summary>
public sealed record EventsLost : NetlinkEvent;
