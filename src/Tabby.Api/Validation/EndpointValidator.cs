using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks HostEndpoint, WorkloadEndpoint and Node.</summary>
internal static partial class EndpointValidator
{
    public static void Validate(ValidationContext context, HostEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        if (string.IsNullOrEmpty(spec.Node))
            context.Error("spec.node", "node must be specified");
        Checks.Subdomain(context, "spec.node", spec.Node);
        if (string.IsNullOrEmpty(spec.InterfaceName) && spec.ExpectedIps is not { Count: > 0 })
            context.Error("spec", "at least one of interfaceName or expectedIPs must be specified");
        if (spec.InterfaceName != "*")
            Checks.InterfaceName(context, "spec.interfaceName", spec.InterfaceName);
        if (spec.ExpectedIps is { } ips)
        {
            for (var i = 0; i < ips.Count; i++)
                Checks.Ip(context, Item("spec.expectedIPs", i), ips[i]);
        }
        ValidateProfiles(context, spec.Profiles);
        if (spec.Ports is { } ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var path = Item("spec.ports", i);
                Checks.Required(context, Child(path, "name"), ports[i].Name);
                Checks.PortName(context, Child(path, "name"), ports[i].Name);
                ValidatePortProtocol(context, Child(path, "protocol"), ports[i].Protocol);
                Checks.Range(context, Child(path, "port"), ports[i].Port, 1, 65535);
            }
        }
    }

    public static void Validate(ValidationContext context, WorkloadEndpoint endpoint)
    {
        var spec = endpoint.Spec;
        Checks.Subdomain(context, "spec.orchestrator", spec.Orchestrator);
        Checks.Subdomain(context, "spec.node", spec.Node);
        Checks.Subdomain(context, "spec.pod", spec.Pod);
        Checks.Subdomain(context, "spec.endpoint", spec.Endpoint);
        Checks.Subdomain(context, "spec.serviceAccountName", spec.ServiceAccountName);
        // Container IDs are runtime-generated: letters (either case), digits and inner '-'.
        if (spec.ContainerId is { Length: > 0 } containerId && !ContainerIdPattern().IsMatch(containerId))
            context.Error("spec.containerID", $"'{containerId}' is not a valid container ID: letters, digits and '-', starting and ending with a letter or digit");
        Checks.Required(context, "spec.interfaceName", spec.InterfaceName);
        Checks.InterfaceName(context, "spec.interfaceName", spec.InterfaceName);
        Checks.Mac(context, "spec.mac", spec.Mac);
        Checks.Nets(context, "spec.ipNetworks", spec.IpNetworks);
        if (spec.IpNetworks is { } networks)
        {
            // Calico supports only single addresses (/32, /128) as workload networks.
            for (var i = 0; i < networks.Count; i++)
            {
                if (networks[i] is { } network && IpPrefix.TryParse(network.AsSpan(), out var prefix, out _) && !prefix.IsHost)
                    context.Error(Item("spec.ipNetworks", i), "IP network contains multiple addresses");
            }
        }
        Checks.Ip(context, "spec.ipv4Gateway", spec.Ipv4Gateway, AddressFamily.InterNetwork);
        Checks.Ip(context, "spec.ipv6Gateway", spec.Ipv6Gateway, AddressFamily.InterNetworkV6);
        Checks.Nets(context, "spec.allowSpoofedSourcePrefixes", spec.AllowSpoofedSourcePrefixes);
        ValidateProfiles(context, spec.Profiles);
        if (spec.IpNats is { } nats)
        {
            for (var i = 0; i < nats.Count; i++)
            {
                var natPath = Item("spec.ipNATs", i);
                var internalOk = Checks.Ip(context, Child(natPath, "internalIP"), nats[i].InternalIp) & Checks.TryParseIp(nats[i].InternalIp ?? "", out var inside);
                var externalOk = Checks.Ip(context, Child(natPath, "externalIP"), nats[i].ExternalIp) & Checks.TryParseIp(nats[i].ExternalIp ?? "", out var outside);
                if (internalOk && externalOk && inside.AddressFamily != outside.AddressFamily)
                    context.Error(Child(natPath, "externalIP"), "mismatched IP versions");
                if (internalOk && spec.IpNetworks?.Any(n => n is not null && IpPrefix.TryParse(n.AsSpan(), out var p, out _) && p.Contains(inside)) != true)
                    context.Error(Child(natPath, "internalIP"), "NAT is not in the endpoint networks");
            }
        }
        if (spec.Ports is { } ports)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var path = Item("spec.ports", i);
                if (!string.IsNullOrEmpty(ports[i].Name))
                    Checks.PortName(context, Child(path, "name"), ports[i].Name);
                else if (ports[i].HostPort == 0)
                    context.Error(Child(path, "name"), "required when no hostPort is given");
                ValidatePortProtocol(context, Child(path, "protocol"), ports[i].Protocol);
                Checks.Range(context, Child(path, "port"), ports[i].Port, 1, 65535);
                Checks.Range(context, Child(path, "hostPort"), ports[i].HostPort, 0, 65535);
                if (!string.IsNullOrEmpty(ports[i].HostIp))
                    Checks.Ip(context, Child(path, "hostIP"), ports[i].HostIp);
            }
        }
    }

    public static void Validate(ValidationContext context, Node node)
    {
        var spec = node.Spec;
        if (spec.Bgp is { } bgp)
        {
            if (bgp.AsNumber is null && bgp.Ipv4Address is null && bgp.Ipv6Address is null && bgp.Ipv4IpipTunnelAddr is null && bgp.RouteReflectorClusterId is null)
                context.Error("spec.bgp", "should not be empty");
            Checks.IpWithPrefix(context, "spec.bgp.ipv4Address", bgp.Ipv4Address, AddressFamily.InterNetwork);
            Checks.IpWithPrefix(context, "spec.bgp.ipv6Address", bgp.Ipv6Address, AddressFamily.InterNetworkV6);
            Checks.Ip(context, "spec.bgp.ipv4IPIPTunnelAddr", bgp.Ipv4IpipTunnelAddr, AddressFamily.InterNetwork);
            Checks.Ip(context, "spec.bgp.routeReflectorClusterID", bgp.RouteReflectorClusterId, AddressFamily.InterNetwork);
        }
        Checks.Ip(context, "spec.ipv4VXLANTunnelAddr", spec.Ipv4VxlanTunnelAddr, AddressFamily.InterNetwork);
        Checks.Ip(context, "spec.ipv6VXLANTunnelAddr", spec.Ipv6VxlanTunnelAddr, AddressFamily.InterNetworkV6);
        Checks.Mac(context, "spec.vxlanTunnelMACAddr", spec.VxlanTunnelMacAddr);
        Checks.Mac(context, "spec.vxlanTunnelMACAddrV6", spec.VxlanTunnelMacAddrV6);
        if (spec.Wireguard is { } wg)
        {
            Checks.Ip(context, "spec.wireguard.interfaceIPv4Address", wg.InterfaceIpv4Address, AddressFamily.InterNetwork);
            Checks.Ip(context, "spec.wireguard.interfaceIPv6Address", wg.InterfaceIpv6Address, AddressFamily.InterNetworkV6);
        }
        if (spec.OrchRefs is { } refs)
        {
            for (var i = 0; i < refs.Count; i++)
                Checks.Required(context, Child(Item("spec.orchRefs", i), "orchestrator"), refs[i].Orchestrator);
        }
        if (spec.Addresses is { } addresses)
        {
            for (var i = 0; i < addresses.Count; i++)
            {
                var path = Item("spec.addresses", i);
                Checks.Required(context, Child(path, "address"), addresses[i].Address);
                if (addresses[i].Address is { Length: > 0 } address)
                {
                    if (address.Contains('/', StringComparison.Ordinal))
                        Checks.IpWithPrefix(context, Child(path, "address"), address, address.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
                    else
                        Checks.Ip(context, Child(path, "address"), address);
                }
                Checks.OneOf(context, Child(path, "type"), addresses[i].Type, "CalicoNodeIP", "InternalIP", "ExternalIP");
            }
        }
        if (node.Status is { } status)
        {
            Checks.Nets(context, "status.podCIDRs", status.PodCidrs);
            WireguardKey(context, "status.wireguardPublicKey", status.WireguardPublicKey);
            WireguardKey(context, "status.wireguardPublicKeyV6", status.WireguardPublicKeyV6);
        }
    }

    /// <summary>A WireGuard key as wg(8) prints it: 32 bytes in padded base64 (what Calico's wgtypes.ParseKey accepts).</summary>
    private static void WireguardKey(ValidationContext context, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        Span<byte> key = stackalloc byte[33];
        if (!Convert.TryFromBase64String(value, key, out var length) || length != 32)
            context.Error(path, $"'{value}' is not a WireGuard public key (32 bytes in base64)");
    }

    private static void ValidateProfiles(ValidationContext context, List<string>? profiles)
    {
        if (profiles is null)
            return;
        for (var i = 0; i < profiles.Count; i++)
            Checks.Subdomain(context, Item("spec.profiles", i), profiles[i]);
    }

    private static void ValidatePortProtocol(ValidationContext context, string path, Protocol? protocol)
    {
        if (protocol is null)
            context.Error(path, "required");
        else if (!protocol.SupportsPorts)
            context.Error(path, $"'{protocol}' is not TCP, UDP or SCTP");
    }

    [GeneratedRegex("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex ContainerIdPattern();
}
