namespace Tabby.Bgp.Wire;

/// <summary>Subcodes of the Cease NOTIFICATION (RFC 4486, RFC 8203).</summary>
public enum CeaseSubcode : byte
{
    Unspecific = 0,
    MaximumPrefixesReached = 1,
    AdministrativeShutdown = 2,
    PeerDeconfigured = 3,
    AdministrativeReset = 4,
    ConnectionRejected = 5,
    OtherConfigurationChange = 6,
    ConnectionCollisionResolution = 7,
    OutOfResources = 8,
    HardReset = 9,
    BfdDown = 10,
}
