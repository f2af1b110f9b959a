namespace Tabby.Lab.Cluster;

/// <summary>How a lab's hosts peer.</summary>
public enum ClusterTopology
{
    /// <summary>Every agent peers with every other (Calico's node-to-node mesh).</summary>
    Mesh,

    /// <summary>The first two hosts are route reflectors (one cluster ID); every other host is their client.</summary>
    Reflector,

    /// <summary>Racks behind top-of-rack routers (real FRR or BIRD) joined by a spine, in one of the <see cref="TorDesign"/>s.</summary>
    Tor,
}
