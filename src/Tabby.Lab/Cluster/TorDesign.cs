namespace Tabby.Lab.Cluster;

/// <summary>Calico's three designs for peering hosts with top-of-rack routers.</summary>
public enum TorDesign
{
    /// <summary>A rack's hosts share the rack's AS and peer (iBGP) with its router, which reflects between them.</summary>
    AsPerRack,

    /// <summary>Every host has an AS of its own and peers (eBGP) with its rack's router.</summary>
    AsPerServer,

    /// <summary>Hosts announce their blocks up but receive only a default route, so their tables stay tiny.</summary>
    DownwardDefault,
}
