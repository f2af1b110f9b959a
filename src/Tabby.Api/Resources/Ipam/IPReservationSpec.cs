namespace Tabby.Api.Resources;

/// <summary>The spec of an IPReservation: addresses IPAM must never hand out.</summary>
public sealed class IPReservationSpec
{
    [Serialization.Binding.ApiName("reservedCIDRs")]
    public List<string>? ReservedCidrs { get; set; }
}
