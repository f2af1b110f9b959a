using Tabby.Api.Resources;
using Tabby.Ipam.Addressing;

namespace Tabby.Ipam.Check;

/// <summary>Which addresses workload endpoints and nodes use: what makes an allocation "in use" for <c>ipam check</c>.</summary>
public static class AddressUsers
{
    /// <summary>Address (canonical text) to its users, <c>Workload(ns/name)</c> or <c>Node(name)</c>, each named once.</summary>
    /// <param name="endpoints">Every workload endpoint, in every namespace.</param>
    /// <param name="nodes">Every node; its tunnel and WireGuard addresses count as used.</param>
    /// <param name="notes">Receives a line for each address that does not parse.</param>
    public static Dictionary<string, List<string>> Collect(IEnumerable<WorkloadEndpoint> endpoints, IEnumerable<Node> nodes, List<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(nodes);
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints)
        {
            var owner = $"Workload({endpoint.Metadata.Namespace}/{endpoint.Metadata.Name})";
            foreach (var network in endpoint.Spec.IpNetworks ?? [])
                Add(users, network, owner, "ipNetworks", notes);
        }

        foreach (var node in nodes)
        {
            var owner = $"Node({node.Metadata.Name})";
            var spec = node.Spec;
            Add(users, spec.Ipv4VxlanTunnelAddr, owner, "ipv4VXLANTunnelAddr", notes);
            Add(users, spec.Ipv6VxlanTunnelAddr, owner, "ipv6VXLANTunnelAddr", notes);
            Add(users, spec.Bgp?.Ipv4IpipTunnelAddr, owner, "bgp.ipv4IPIPTunnelAddr", notes);
            Add(users, spec.Wireguard?.InterfaceIpv4Address, owner, "wireguard.interfaceIPv4Address", notes);
            Add(users, spec.Wireguard?.InterfaceIpv6Address, owner, "wireguard.interfaceIPv6Address", notes);
        }

        return users;
    }

    /// <summary>The canonical text of an address given bare or as a CIDR (<c>10.0.0.5/32</c>), or null when it is neither.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var bare = (slash >= 0 ? text[..slash] : text).Trim();
        return IpamAddress.TryParse(bare, out var address, out _) ? address.Address.ToString() : null;
    }

    private static void Add(Dictionary<string, List<string>> users, string? text, string owner, string field, List<string>? notes)
    {
        if (string.IsNullOrWhiteSpace(text))
            return;
        if (Normalize(text) is not { } address)
        {
            notes?.Add($"{owner}: {field} '{text}' is not an IP address; ignored");
            return;
        }

        if (!users.TryGetValue(address, out var list))
            users[address] = list = [];
        if (!list.Contains(owner, StringComparer.Ordinal))
            list.Add(owner);
    }
}
