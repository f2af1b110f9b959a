using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netns;

namespace Tabby.Node.Startup;

/// <summary>Finds the node's own address the ways calico/node does (IP_AUTODETECTION_METHOD).</summary>
public static class AddressAutodetector
{
    // calico/node's default exclusions for first-found: container, tunnel and virtual interfaces.
    private static readonly Regex s_excluded = new(
        "^(docker.*|cbr.*|dummy.*|virbr.*|lxcbr.*|veth.*|lo|cali.*|tunl.*|flannel.*|kube-ipvs.*|cni.*|vxlan\\.calico.*|vxlan-v6\\.calico.*|wireguard\\.cali.*|wg-v6\\.cali.*|nodelocaldns.*|podman.*)$",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The address (with its prefix length) chosen by <paramref name="method"/>, or an exception saying why none qualifies.</summary>
    /// <exception cref="ArgumentException">The method does not parse.</exception>
    /// <exception cref="InvalidOperationException">No address qualifies.</exception>
    public static DetectedAddress Detect(NetworkNamespace ns, RtNetlinkClient netlink, string method, bool ipv6)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(method);
        var (kind, argument) = Split(method);
        var candidates = Candidates(netlink, ipv6);
        var family = ipv6 ? "IPv6" : "IPv4";
        switch (kind)
        {
            case "first-found":
                return Pick(candidates.Where(c => !s_excluded.IsMatch(c.Interface)), $"no {family} address on any interface ({method})");
            case "interface":
                var include = Compile(argument, method);
                return Pick(candidates.Where(c => include.IsMatch(c.Interface)), $"no {family} address on an interface matching '{argument}'");
            case "skip-interface":
                var skip = Compile(argument, method);
                return Pick(candidates.Where(c => !skip.IsMatch(c.Interface) && !s_excluded.IsMatch(c.Interface)), $"no {family} address on an interface not matching '{argument}'");
            case "cidr":
                var cidrs = argument.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c =>
                    IpPrefix.TryParse(c.AsSpan(), out var p, out var error) ? p : throw new ArgumentException($"{method}: {error}")).ToList();
                return Pick(candidates.Where(c => cidrs.Any(p => p.Contains(c.Address))), $"no {family} address within {argument}");
            case "can-reach":
                if (!IPAddress.TryParse(argument, out var target))
                    throw new ArgumentException($"{method}: '{argument}' is not an IP address");
                var source = SourceFor(ns, target);
                return Pick(candidates.Where(c => c.Address.Equals(source)), $"the source address {source} used to reach {target} is on no interface");
            default:
                throw new ArgumentException($"unknown autodetection method '{method}' (first-found, interface=REGEX, skip-interface=REGEX, can-reach=ADDR, cidr=CIDR)");
        }
    }

    private static (string Kind, string Argument) Split(string method)
    {
        var eq = method.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (method.Trim(), "") : (method[..eq].Trim(), method[(eq + 1)..].Trim());
    }

    private static Regex Compile(string pattern, string method)
    {
        try
        {
            return new Regex("^(" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{method}: '{pattern}' is not a regular expression: {e.Message}", e);
        }
    }

    private static List<(string Interface, IPAddress Address, int PrefixLength)> Candidates(RtNetlinkClient netlink, bool ipv6)
    {
        var links = netlink.Links.List().Where(l => l.IsUp).ToDictionary(l => l.Index, l => l.Name);
        var result = new List<(string, IPAddress, int)>();
        foreach (var address in netlink.Addresses.List().OrderBy(a => a.InterfaceIndex))
        {
            if (address.IsIPv6 != ipv6 || !links.TryGetValue(address.InterfaceIndex, out var name))
                continue;
            if (IPAddress.IsLoopback(address.Address) || address.Address.IsIPv6LinkLocal || IsIPv4LinkLocal(address.Address))
                continue;
            result.Add((name, address.Address, address.PrefixLength));
        }

        return result;
    }

    private static bool IsIPv4LinkLocal(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes() is [169, 254, ..];

    private static DetectedAddress Pick(IEnumerable<(string Interface, IPAddress Address, int PrefixLength)> candidates, string why)
    {
        foreach (var (name, address, length) in candidates)
            return new DetectedAddress(address, length, name);
        throw new InvalidOperationException(why);
    }

    private static IPAddress SourceFor(NetworkNamespace ns, IPAddress target) => ns.Run(() =>
    {
        // Connecting a UDP socket only asks the kernel for a route and its source address; nothing is sent.
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(target, 9));
        return ((IPEndPoint)socket.LocalEndPoint!).Address;
    });
}
