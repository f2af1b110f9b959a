namespace Tabby.Lab.Cluster;

/// <summary>What `tabby lab up` builds: hosts on one underlay segment, each with an agent, and workloads made by the CNI plugin.</summary>
public sealed record ClusterSpec
{
    public int Hosts { get; init; } = 2;

    public int WorkloadsPerHost { get; init; } = 2;

    /// <summary>When set, the workloads of host i get exactly these addresses (the seed topology); overrides <see cref="WorkloadsPerHost"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Addresses { get; init; }

    public ClusterDatastore Datastore { get; init; } = ClusterDatastore.Sqlite;

    public ClusterTopology Topology { get; init; } = ClusterTopology.Mesh;

    /// <summary>For <see cref="ClusterTopology.Tor"/>: the design, the number of racks (hosts are spread evenly) and the routers' daemon.</summary>
    public TorDesign Design { get; init; } = TorDesign.AsPerRack;

    public int Racks { get; init; } = 2;

    public TorRouter Router { get; init; } = TorRouter.Frr;

    /// <summary>
    /// As-per-rack: the top-of-rack router gives routes from other racks its own next hop (true), or reflects them with
    /// the spine's (false), which the hosts reach only through their default route, so they must resolve it recursively.
    /// </summary>
    public bool TorNextHopSelf { get; init; } = true;

    /// <summary>The workload pool the lab creates.</summary>
    public string Pool { get; init; } = "10.20.0.0/16";

    public int BlockSize { get; init; } = 26;

    /// <summary>The pool's vxlanMode: Never, Always or CrossSubnet.</summary>
    public string VxlanMode { get; init; } = "Never";

    /// <summary>The pool's disableBGPExport: with it the underlay never learns workload routes, so only an overlay carries them.</summary>
    public bool PoolDisableBgpExport { get; init; }

    /// <summary>The CNI network name (the IPAM handle prefix and profile).</summary>
    public string Network { get; init; } = "tabby-lab";

    /// <summary>A word in the namespace prefix, to tell labs apart.</summary>
    public string Purpose { get; init; } = "lab";

    /// <summary>The BGP hold time the agents propose.</summary>
    public TimeSpan BgpHoldTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The agents' resync period.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The seed network: host0 (192.168.0.2) with 10.20.1.2 and 10.20.1.3, host1 (192.168.0.3) with 10.20.2.2,
    /// pool 10.20.0.0/16 in /24 blocks, so each host's block is one route for the other.</summary>
    public static ClusterSpec Seed { get; } = new()
    {
        Addresses = [["10.20.1.2", "10.20.1.3"], ["10.20.2.2"]],
        Pool = "10.20.0.0/16",
        BlockSize = 24,
        Network = "seed",
        Purpose = "demo",
    };

    /// <summary>When set, every host's workloads are added at the same time (each host's in order), as the kubelets of a
    /// real cluster start pods; by default one after another, host by host.</summary>
    public bool AddWorkloadsConcurrently { get; init; }

    /// <summary>How long to wait for agents to be ready.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
