using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>What the dataplane needs of one workload endpoint on this host.</summary>
/// <param name="Id">The WorkloadEndpoint.</param>
/// <param name="InterfaceName">The host side of its veth (<c>cali...</c>).</param>
/// <param name="Addresses">Its addresses as host prefixes (/32, /128).</param>
/// <param name="Mac">The workload side's MAC, when known, for a static neighbour entry.</param>
public sealed record LocalEndpoint(EndpointId Id, string InterfaceName, IReadOnlyList<IpPrefix> Addresses, MacAddress? Mac)
{
    public bool Equals(LocalEndpoint? other) =>
        other is not null && Id == other.Id && InterfaceName == other.InterfaceName && Mac == other.Mac && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Id, InterfaceName, Mac, Addresses.Count);
}
