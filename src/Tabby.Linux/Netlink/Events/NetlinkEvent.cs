namespace Tabby.Linux.Netlink.Events;

/// <summary>Something changed in a namespace's links, addresses or routes.</summary>
public abstract record NetlinkEvent;
