using System.Globalization;
using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Node.Calc;

/// <summary>A Node's spec.bgp.ipv4Address ("10.0.0.1/24"): the address it peers and tunnels from, and its subnet's length.</summary>
/// <remarks>
/// The one reading of the field for every calc node, so BGP and the overlay cannot disagree on which nodes have a
/// usable address. The API's rules: an IPv4 address in the form Calico accepts, with an optional length up to 32;
/// without one it is a /32, as Calico's ParseCIDROrIP makes it.
/// </remarks>
public readonly record struct NodeBgpAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>The subnet the node says it is on (for CrossSubnet).</summary>
    public IpPrefix Subnet => IpPrefix.Masked(Address, PrefixLength);

    public static bool TryParseIpv4(string? text, out NodeBgpAddress address)
    {
        address = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var length = 32;
        // As a host prefix the address is held to the text forms Calico accepts: no "10.1", no octal, no zone, no IPv6.
        if (!IpPrefix.TryParse($"{(slash < 0 ? text : text[..slash])}/32", out var host) || host.IsIPv6)
            return false;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > 32))
            return false;
        address = new NodeBgpAddress(host.Address, length);
        return true;
    }

    /// <summary>The node's IPv4 address; null when it has none, and when it has one that cannot be used, which is
    /// reported to <paramref name="problems"/> (once however often it is asked for).</summary>
    public static NodeBgpAddress? Ipv4(Api.Resources.Node node, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(problems);
        var text = node.Spec.Bgp?.Ipv4Address;
        if (string.IsNullOrEmpty(text))
            return null;
        if (TryParseIpv4(text, out var address))
            return address;
        var problem = $"node {node.Metadata.Name}: spec.bgp.ipv4Address '{text}' is not an IPv4 address with an optional /prefix length";
        if (!problems.Contains(problem))
            problems.Add(problem);
        return null;
    }
}
