using System.Net;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>Works out the VXLAN overlay from Nodes (underlay address, VTEP address and MAC), IPPools (vxlanMode,
/// ipipMode) and every node's confirmed block affinities.</summary>
/// <remarks>
/// Felix's rules (vxlan_resolver, route_resolver): every other node with a VTEP gets an FDB and a neighbour entry;
/// each of its blocks in a VXLAN pool gets a route through the tunnel, except with CrossSubnet when the node shares
/// this node's subnet, where the route goes straight to its underlay address. These routes come from the datastore,
/// so they do not wait for BGP and do not depend on the underlay carrying anything but the nodes' own addresses.
/// </remarks>
public sealed class OverlayResolver(string nodeName)
{
    private readonly Dictionary<string, Api.Resources.Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IPPool> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<IpPrefix, string> _blockOwners = [];
    private readonly List<string> _problems = [];

    public bool Dirty { get; private set; } = true;

    public void OnNode(string name, Api.Resources.Node? node)
    {
        if (node is null)
            Dirty |= _nodes.Remove(name);
        else
        {
            _nodes[name] = node;
            Dirty = true;
        }
    }

    public void OnPool(string name, IPPool? pool)
    {
        if (pool is null)
            Dirty |= _pools.Remove(name);
        else
        {
            _pools[name] = pool;
            Dirty = true;
        }
    }

    /// <summary>A block affinity of any node; <paramref name="confirmed"/> false when it was deleted or is only pending.</summary>
    public void OnAffinity(string host, IpPrefix block, bool confirmed)
    {
        if (confirmed)
        {
            if (!_blockOwners.TryGetValue(block, out var owner) || owner != host)
            {
                _blockOwners[block] = host;
                Dirty = true;
            }
        }
        else if (_blockOwners.TryGetValue(block, out var owner) && owner == host)
        {
            _blockOwners.Remove(block);
            Dirty = true;
        }
    }

    public IReadOnlyList<string> DrainProblems()
    {
        var drained = _problems.ToList();
        _problems.Clear();
        return drained;
    }

    public static EncapMode ParseMode(string? mode) => mode switch
    {
        "Always" => EncapMode.Always,
        "CrossSubnet" => EncapMode.CrossSubnet,
        _ => EncapMode.Never,
    };

    public OverlayPlan Resolve()
    {
        Dirty = false;
        var vxlanPools = new List<(IpPrefix Cidr, EncapMode Mode)>();
        var ipipPools = new List<string>();
        var ipipCidrs = new List<IpPrefix>();
        foreach (var (name, pool) in _pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IpPrefix.TryParse(pool.Spec.Cidr.AsSpan(), out var cidr, out _))
                continue;
            if (ParseMode(pool.Spec.IpipMode) != EncapMode.Never && !cidr.IsIPv6)
            {
                ipipPools.Add(name);
                ipipCidrs.Add(cidr);
            }

            // IPv6 VXLAN is not implemented: its pools route as before (BGP).
            if (ParseMode(pool.Spec.VxlanMode) is var mode and not EncapMode.Never && !cidr.IsIPv6)
                vxlanPools.Add((cidr, mode));
        }

        if (vxlanPools.Count == 0)
            return new OverlayPlan { IpipPools = ipipPools, IpipCidrs = ipipCidrs };

        _nodes.TryGetValue(nodeName, out var me);
        var mySubnet = me is null ? null : Underlay(me);
        var vtep = mySubnet is { } subnet && Vtep(me!) is { } mine ? new LocalVtep(subnet.Address, mine.Address, mine.Mac) : null;
        var remotes = new Dictionary<string, RemoteVtep>(StringComparer.Ordinal);
        if (vtep is not null)
        {
            foreach (var (name, node) in _nodes)
            {
                if (name == nodeName || Underlay(node) is not { } underlay || Vtep(node) is not { } theirs)
                    continue;
                remotes[name] = new RemoteVtep(name, underlay.Address, theirs.Address, theirs.Mac);
            }
        }

        var routes = new List<OverlayRoute>();
        foreach (var (block, owner) in _blockOwners)
        {
            if (owner == nodeName || !_nodes.TryGetValue(owner, out var node))
                continue;
            var pool = vxlanPools.FirstOrDefault(p => p.Cidr.Contains(block));
            if (pool.Mode == EncapMode.Never)
                continue;
            var underlay = Underlay(node);
            if (pool.Mode == EncapMode.CrossSubnet && mySubnet is { } local && underlay is { } theirs
                && local.Subnet.Contains(theirs.Address))
                routes.Add(new OverlayRoute(block, theirs.Address, Tunnel: false));
            else if (remotes.TryGetValue(owner, out var remote))
                routes.Add(new OverlayRoute(block, remote.TunnelAddress, Tunnel: true));
            // Else the node has no VTEP yet (or this one has none): nothing through a tunnel that cannot carry it.
        }

        return new OverlayPlan
        {
            VxlanWanted = true,
            Vtep = vtep,
            Remotes = [.. remotes.Values.OrderBy(r => r.Node, StringComparer.Ordinal)],
            Routes = [.. routes.OrderBy(r => r.Destination)],
            IpipPools = ipipPools,
            IpipCidrs = ipipCidrs,
        };
    }

    private NodeBgpAddress? Underlay(Api.Resources.Node node) => NodeBgpAddress.Ipv4(node, _problems);

    private (IPAddress Address, MacAddress Mac)? Vtep(Api.Resources.Node node)
    {
        var address = node.Spec.Ipv4VxlanTunnelAddr;
        var mac = node.Spec.VxlanTunnelMacAddr;
        if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(mac))
            return null;
        if (!IPAddress.TryParse(address, out var ip) || !MacAddress.TryParse(mac, null, out var parsed))
        {
            _problems.Add($"node {node.Metadata.Name}: VXLAN tunnel address '{address}' or MAC '{mac}' cannot be used");
            return null;
        }

        return (ip, parsed);
    }
}
