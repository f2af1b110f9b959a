using System.Globalization;
using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Selectors;

namespace Tabby.Node.Calc;

/// <summary>Works out this node's BGP: its AS, its sessions (mesh, BGPPeers by name, by selector, reflectors) and what it
/// announces, from Node, BGPConfiguration, BGPPeer and IPPool resources plus the blocks and endpoints it holds.</summary>
/// <remarks>
/// Calico's rules: the AS is the node's own, else the default BGPConfiguration's, else 64512; the mesh is on unless
/// the default configuration turns it off; a BGPPeer applies to a node by <c>node</c>, by <c>nodeSelector</c>, or to
/// all; a <c>peerSelector</c> peers with the selected nodes, and they peer back (the session is one, seen from both
/// sides); a node with a route-reflector cluster ID treats every peer without that cluster ID as its client.
/// </remarks>
public sealed class BgpConfigResolver(string nodeName)
{
    private const uint DefaultAs = 64512;
    private static readonly Dictionary<string, string> s_noLabels = [];
    private readonly Dictionary<string, Api.Resources.Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BGPConfiguration> _configs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BGPPeer> _peers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPPool> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BGPFilter> _filters = new(StringComparer.Ordinal);
    private readonly HashSet<IpPrefix> _blocks = [];
    private readonly Dictionary<EndpointId, IReadOnlyList<IpPrefix>> _endpoints = [];
    private readonly List<string> _problems = [];

    /// <summary>True when something changed since the last <see cref="Resolve"/>.</summary>
    public bool Dirty { get; private set; } = true;

    public void OnNode(string name, Api.Resources.Node? node) => Set(_nodes, name, node);

    public void OnConfiguration(string name, BGPConfiguration? config) => Set(_configs, name, config);

    public void OnPeer(string name, BGPPeer? peer) => Set(_peers, name, peer);

    public void OnPool(string name, IPPool? pool) => Set(_pools, name, pool);

    public void OnFilter(string name, BGPFilter? filter) => Set(_filters, name, filter);

    public void OnBlock(IpPrefix block, bool owned)
    {
        Dirty |= owned ? _blocks.Add(block) : _blocks.Remove(block);
    }

    public void OnEndpoint(EndpointId id, IReadOnlyList<IpPrefix>? addresses)
    {
        if (addresses is null)
            Dirty |= _endpoints.Remove(id);
        else
        {
            _endpoints[id] = addresses;
            Dirty = true;
        }
    }

    /// <summary>Resources that could not be used in the last resolve (for the agent to log).</summary>
    public IReadOnlyList<string> DrainProblems()
    {
        var drained = _problems.ToList();
        _problems.Clear();
        return drained;
    }

    /// <summary>The plan for the current state.</summary>
    public RoutingPlan Resolve()
    {
        Dirty = false;
        if (!_nodes.TryGetValue(nodeName, out var me) || Address(me) is not { } myAddress)
            return RoutingPlan.Disabled;

        _configs.TryGetValue("default", out var global);
        _configs.TryGetValue("node." + nodeName, out var mine);
        var globalAs = global?.Spec.AsNumber?.Value ?? DefaultAs;
        var myAs = me.Spec.Bgp?.AsNumber?.Value ?? globalAs;
        var myCluster = ClusterId(me);
        var myLabels = (IReadOnlyDictionary<string, string>?)me.Metadata.Labels ?? s_noLabels;

        var peers = new Dictionary<IPAddress, PeerPlan>();
        void Add(PeerPlan peer)
        {
            // One session per neighbour address: an explicit BGPPeer wins over a selector, a selector over the mesh.
            if (!peer.Address.Equals(myAddress))
                peers.TryAdd(peer.Address, peer);
        }

        foreach (var (name, peer) in _peers.OrderBy(p => Rank(p.Value)).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var spec = peer.Spec;
            var forMe = Applies(name, spec.Node, spec.NodeSelector, nodeName, myLabels);
            var type = spec.Node is null && (spec.NodeSelector is null || spec.NodeSelector.Trim() == "all()") ? PeerType.Global : PeerType.NodeSpecific;
            if (forMe && spec.PeerIp is { Length: > 0 } ip)
            {
                if (!TryParsePeerIp(ip, out var address, out var port))
                {
                    _problems.Add($"BGPPeer {name}: peerIP '{ip}' is not an address or address:port");
                    continue;
                }

                if (spec.AsNumber is not { } remote)
                {
                    _problems.Add($"BGPPeer {name}: peerIP needs an asNumber");
                    continue;
                }

                Add(Plan(spec, name, address, port, remote.Value, type, null, myCluster));
            }
            else if (spec.PeerSelector is { Length: > 0 } selectorText)
            {
                if (!Selector.TryParse(selectorText, out var selector, out var error))
                {
                    _problems.Add($"BGPPeer {name}: peerSelector: {error}");
                    continue;
                }

                foreach (var other in _nodes.Values)
                {
                    var otherName = other.Metadata.Name!;
                    if (otherName == nodeName || Address(other) is not { } otherAddress)
                        continue;
                    var otherLabels = (IReadOnlyDictionary<string, string>?)other.Metadata.Labels ?? s_noLabels;
                    // This node asks for the selected nodes; a selected node answers every node the peer applies to.
                    var outward = forMe && selector.Matches(otherLabels);
                    var inward = selector.Matches(myLabels) && Applies(name, spec.Node, spec.NodeSelector, otherName, otherLabels);
                    if (!outward && !inward)
                        continue;
                    var otherCluster = ClusterId(other);
                    var reflecting = myCluster is not null || otherCluster is not null;
                    Add(Plan(spec, name, otherAddress, 179, other.Spec.Bgp?.AsNumber?.Value ?? globalAs, reflecting ? PeerType.Reflector : type, otherName, myCluster, otherCluster));
                }
            }
        }

        if (global?.Spec.NodeToNodeMeshEnabled ?? true)
        {
            var password = Secret(global?.Spec.NodeMeshPassword);
            var restart = GoDuration.Parse(global?.Spec.NodeMeshMaxRestartTime);
            foreach (var other in _nodes.Values.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
            {
                if (other.Metadata.Name == nodeName || Address(other) is not { } otherAddress)
                    continue;
                Add(new PeerPlan
                {
                    Address = otherAddress,
                    RemoteAs = other.Spec.Bgp?.AsNumber?.Value ?? globalAs,
                    Type = PeerType.Mesh,
                    Source = "node-to-node mesh",
                    PeerNode = other.Metadata.Name,
                    Password = password,
                    MaxRestartTime = restart,
                    RouteReflectorClient = myCluster is not null && ClusterId(other) != myCluster,
                });
            }
        }

        return new RoutingPlan
        {
            LocalAs = myAs,
            RouterAddress = myAddress,
            ListenPort = (mine?.Spec.ListenPort is > 0 ? mine.Spec.ListenPort : global?.Spec.ListenPort is > 0 ? global.Spec.ListenPort : 179),
            ClusterId = myCluster,
            Peers = [.. peers.Values.OrderBy(p => p.Address.ToString(), StringComparer.Ordinal)],
            Exports = Exports(),
            ImportPools = [.. PoolCidrs().Select(p => p.Cidr).Distinct().Order()],
        };
    }

    private List<IpPrefix> Exports()
    {
        var pools = PoolCidrs();
        bool Exportable(IpPrefix prefix)
        {
            foreach (var (cidr, noExport) in pools)
            {
                if (cidr.Contains(prefix))
                    return !noExport;
            }

            // Nothing outside the pools is announced.
            return false;
        }

        var exports = _blocks.Where(Exportable).ToHashSet();
        // A workload address from a block this node does not own (borrowed) is announced on its own.
        foreach (var address in _endpoints.Values.SelectMany(a => a))
        {
            if (!_blocks.Any(b => b.Contains(address)) && Exportable(address))
                exports.Add(address);
        }

        return [.. exports.Order()];
    }

    private List<(IpPrefix Cidr, bool NoExport)> PoolCidrs()
    {
        var result = new List<(IpPrefix, bool)>();
        foreach (var pool in _pools.Values)
        {
            if (IpPrefix.TryParse(pool.Spec.Cidr.AsSpan(), out var cidr, out _))
                result.Add((cidr, pool.Spec.DisableBgpExport));
        }

        return result;
    }

    private PeerPlan Plan(BGPPeerSpec spec, string name, IPAddress address, int port, uint remoteAs, PeerType type, string? peerNode, uint? myCluster, uint? otherCluster = null) => new()
    {
        Address = address,
        Port = port,
        RemoteAs = remoteAs,
        Type = type,
        Source = $"BGPPeer {name}",
        PeerNode = peerNode,
        RouteReflectorClient = myCluster is not null && otherCluster != myCluster && peerNode is not null,
        Password = Secret(spec.Password),
        KeepOriginalNextHop = spec.KeepOriginalNextHop || string.Equals(spec.NextHopMode, "Keep", StringComparison.OrdinalIgnoreCase),
        MaxRestartTime = GoDuration.Parse(spec.MaxRestartTime),
        KeepaliveTime = GoDuration.Parse(spec.KeepaliveTime),
        UseNodeAddress = !string.Equals(spec.SourceAddress, "None", StringComparison.OrdinalIgnoreCase),
        Filters = [.. (spec.Filters ?? []).Select(Filter)],
    };

    /// <summary>A BGPFilter a peer names, compiled; one that does not exist has no rules (Calico skips it too).</summary>
    private BgpFilters.CompiledBgpFilter Filter(string name)
    {
        if (!_filters.TryGetValue(name, out var filter))
        {
            _problems.Add($"BGPFilter {name} does not exist; the peers naming it run without it");
            return BgpFilters.CompiledBgpFilter.Missing(name);
        }

        return BgpFilters.BgpFilterCompiler.Compile(filter, _problems);
    }

    private static int Rank(BGPPeer peer) => peer.Spec.PeerIp is { Length: > 0 } ? (peer.Spec.Node is not null ? 0 : 1) : 2;

    private bool Applies(string peerName, string? node, string? nodeSelector, string candidate, IReadOnlyDictionary<string, string> labels)
    {
        if (node is not null)
            return node == candidate;
        if (string.IsNullOrWhiteSpace(nodeSelector))
            return true;
        if (Selector.TryParse(nodeSelector, out var selector, out var error))
            return selector.Matches(labels);
        _problems.Add($"BGPPeer {peerName}: nodeSelector: {error}");
        return false;
    }

    private IPAddress? Address(Api.Resources.Node node) => NodeBgpAddress.Ipv4(node, _problems)?.Address;

    private static uint? ClusterId(Api.Resources.Node node) =>
        node.Spec.Bgp?.RouteReflectorClusterId is { Length: > 0 } id && IPAddress.TryParse(id, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
            : null;

    private static (string, string)? Secret(BgpPassword? password) =>
        password?.SecretKeyRef is { Key: { Length: > 0 } key } reference ? (reference.Name ?? "", key) : null;

    private static bool TryParsePeerIp(string text, out IPAddress address, out int port)
    {
        port = 179;
        if (IPAddress.TryParse(text, out address!) && !text.Contains(']', StringComparison.Ordinal))
            return true;
        // "10.0.0.1:1179" or "[fd00::1]:1179"
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon].Trim('[', ']') : "";
        return colon > 0 && IPAddress.TryParse(host, out address!) && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }

    private void Set<T>(Dictionary<string, T> map, string name, T? value)
        where T : class
    {
        if (value is null)
            Dirty |= map.Remove(name);
        else
        {
            map[name] = value;
            Dirty = true;
        }
    }
}
