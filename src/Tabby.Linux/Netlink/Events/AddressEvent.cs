using Tabby.Linux.Netlink.Addresses;

namespace Tabby.Linux.Netlink.Events;

/// <summary>An address was added to or (Removed) taken from an interface.</summary>
public sealed record AddressEvent(InterfaceAddress Address, bool Removed) : NetlinkEvent;
