namespace Tabby.Api.Resources;

/// <summary>Addresses inside pools that IPAM keeps back.</summary>
public sealed class IPReservation : Resource<IPReservationSpec>
{
    public override string Kind => "IPReservation";
}
