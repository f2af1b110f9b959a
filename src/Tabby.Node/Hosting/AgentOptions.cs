namespace Tabby.Node.Hosting;

/// <summary>How `tabby node run` was asked to run.</summary>
public sealed record AgentOptions
{
    /// <summary>This node's name (its Node resource, its blocks' affinity).</summary>
    public required string NodeName { get; init; }

    /// <summary>The named network namespace to program (/run/netns/NAME); null means the namespace the agent runs in.</summary>
    public string? Namespace { get; init; }

    /// <summary>Required to program the namespace the agent was started in, so a test that forgets --netns cannot touch the host.</summary>
    public bool HostNetwork { get; init; }

    /// <summary><c>sqlite:PATH</c> or <c>etcd:URL[,URL]</c>.</summary>
    public required string Datastore { get; init; }

    /// <summary>The node's IPv4 address: "autodetect", "none", or ADDR/LEN.</summary>
    public string IPv4 { get; init; } = "autodetect";

    /// <summary>The node's IPv6 address: "none", "autodetect" or ADDR/LEN.</summary>
    public string IPv6 { get; init; } = "none";

    /// <summary>Calico's IP_AUTODETECTION_METHOD: first-found, interface=REGEX, skip-interface=REGEX, can-reach=ADDR, cidr=CIDR[,CIDR].</summary>
    public string AutodetectionMethod { get; init; } = "first-found";

    public string AutodetectionMethodV6 { get; init; } = "first-found";

    /// <summary>Create this IPv4 pool when no pool exists (null: never).</summary>
    public string? DefaultIPv4Pool { get; init; } = "192.168.0.0/16";

    /// <summary>Create this IPv6 pool when no pool exists (null: never).</summary>
    public string? DefaultIPv6Pool { get; init; }

    /// <summary>Block size of a default pool; 0 means the family's default.</summary>
    public int DefaultPoolBlockSize { get; init; }

    /// <summary>The address for the health and metrics server (in the agent's namespace); port 0 turns it off.</summary>
    public string HealthHost { get; init; } = "127.0.0.1";

    public int HealthPort { get; init; } = 9099;

    /// <summary>The unix socket `tabby node status` asks (a path on the shared filesystem, so it works across namespaces).</summary>
    public string ControlSocket { get; init; } = "/run/tabby/node.sock";

    /// <summary>Where the agent writes its node name for the CNI plugin; null: nowhere.</summary>
    public string? NodenameFile { get; init; } = "/var/lib/tabby/nodename";

    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The BGP hold time proposed to every neighbour (a BGPPeer's keepaliveTime sets three times that instead):
    /// how long a silent neighbour, a cut link, takes to be noticed.</summary>
    public TimeSpan BgpHoldTime { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// On stop, end BGP sessions with a Cease so neighbours drop this node's routes at once (a node leaving). By
    /// default the sessions are closed without one, and neighbours keep forwarding to this node's workloads under
    /// graceful restart until the agent is back (a restart or an upgrade), as they do after a crash.
    /// </summary>
    public bool WithdrawOnStop { get; init; }

    /// <summary>Where BGP passwords named by secretKeyRef are read from: DIR/NAME/KEY.</summary>
    public string SecretsDirectory { get; init; } = "/etc/tabby/secrets";

    /// <summary>How long one of this node's blocks must stay empty before it is given back to the pool.</summary>
    public TimeSpan EmptyBlockGrace { get; init; } = TimeSpan.FromMinutes(5);
}
