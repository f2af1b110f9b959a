namespace Tabby.Bgp.Wire;

/// <summary>Path attribute type codes Tabby understands (IANA BGP Path Attributes registry).</summary>
public enum PathAttributeType : byte
{
    Origin = 1,
    AsPath = 2,
    NextHop = 3,
    MultiExitDisc = 4,
    LocalPref = 5,
    AtomicAggregate = 6,
    Aggregator = 7,
    Communities = 8,
    OriginatorId = 9,
    ClusterList = 10,
    MpReachNlri = 14,
    MpUnreachNlri = 15,
    As4Path = 17,
    As4Aggregator = 18,
    LargeCommunity = 32,
}
