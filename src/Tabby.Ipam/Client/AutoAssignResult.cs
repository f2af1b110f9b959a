using Tabby.Core.Addressing;

namespace Tabby.Ipam.Client;

/// <summary>The addresses an auto-assign handed out.</summary>
/// <param name="IPv4">Each address with its block's prefix length (Calico returns block-masked CIDRs).</param>
/// <param name="IPv6">The same for IPv6.</param>
public sealed record AutoAssignResult(IReadOnlyList<AssignedAddress> IPv4, IReadOnlyList<AssignedAddress> IPv6)
{
    /// <summary>Every address, IPv4 first.</summary>
    public IEnumerable<AssignedAddress> All => IPv4.Concat(IPv6);
}
