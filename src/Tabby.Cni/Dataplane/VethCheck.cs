using System.Net;
using Tabby.Cni.Results;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Cni.Dataplane;

/// <summary>CHECK's kernel half: the veth pair, the container's addresses and routes, read back and compared with what ADD reported.</summary>
public static class VethCheck
{
    /// <summary>Every difference found, in words; empty when all is as expected.</summary>
    public static List<string> Verify(
        RtNetlinkClient host, RtNetlinkClient inside, string hostName, string ifName, string? containerMac,
        IReadOnlyList<IpPrefix> addresses, IReadOnlyList<ResultRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(inside);
        var problems = new List<string>();
        var hostLink = host.Links.Get(hostName);
        if (hostLink is null)
            problems.Add($"host interface {hostName} does not exist");
        else
        {
            if (hostLink.Kind != "veth")
                problems.Add($"host interface {hostName} is a {hostLink.Kind ?? "device without a kind"}, not a veth");
            if (hostLink.Mac != WorkloadGateway.HostMac)
                problems.Add($"host interface {hostName} has MAC {hostLink.Mac}, not {WorkloadGateway.HostMac}");
            if (!hostLink.IsUp)
                problems.Add($"host interface {hostName} is down");
        }

        var link = inside.Links.Get(ifName);
        if (link is null)
        {
            problems.Add($"container interface {ifName} does not exist");
            return problems;
        }
        if (link.Kind != "veth")
            problems.Add($"container interface {ifName} is a {link.Kind ?? "device without a kind"}, not a veth");
        if (!link.IsUp)
            problems.Add($"container interface {ifName} is down");
        if (!string.IsNullOrEmpty(containerMac) && !string.Equals(link.Mac?.ToString(), containerMac, StringComparison.OrdinalIgnoreCase))
            problems.Add($"container interface {ifName} has MAC {link.Mac}, the result says {containerMac}");
        if (hostLink is not null && link.ParentIndex != hostLink.Index)
            problems.Add($"container interface {ifName} is not the peer of {hostName} (its peer is index {link.ParentIndex}, {hostName} is {hostLink.Index})");

        var present = inside.Addresses.List(link.Index)
            .Where(a => a.PrefixLength == (a.IsIPv6 ? 128 : 32))
            .Select(a => IpPrefix.Host(a.Address))
            .ToHashSet();
        foreach (var address in addresses)
        {
            if (!present.Contains(address))
                problems.Add($"container interface {ifName} lacks address {address}");
        }

        var table = inside.Routes.List(RouteFilter.MainTable);
        foreach (var route in routes)
        {
            var destination = IpPrefix.Masked(route.Destination.Address, route.Destination.Length);
            if (!IsOurs(destination))
                continue; // another plugin's route: not ours to judge
            var found = table.Any(r => r.Destination == destination && r.InterfaceIndex == link.Index && Equals(r.Gateway, route.Gateway));
            if (!found)
                problems.Add($"container route {destination}{(route.Gateway is null ? "" : $" via {route.Gateway}")} dev {ifName} is missing");
        }
        return problems;
    }

    private static bool IsOurs(IpPrefix destination) =>
        destination == WorkloadGateway.Ipv4Host || destination == WorkloadGateway.Ipv4Default || destination == WorkloadGateway.Ipv6Default;

    private static bool Equals(IPAddress? a, IPAddress? b) => a is null ? b is null : b is not null && a.Equals(b);
}
