using Tabby.Core.Addressing;

namespace Tabby.Ipam.Client;

/// <summary>One address handed out.</summary>
/// <param name="Address">The address as a host prefix (/32 or /128).</param>
/// <param name="Block">The block it came from.</param>
/// <param name="SequenceNumber">The allocation's sequence number: a release that names it cannot free a later reuse of the address.</param>
/// <param name="Borrowed">True when the block is affine to another host (or to none).</param>
public sealed record AssignedAddress(IpPrefix Address, IpPrefix Block, ulong SequenceNumber, bool Borrowed);
