using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tabby.Cni.Protocol;
using Tabby.Core.Addressing;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Linux.Sysctls;

namespace Tabby.Cni.Dataplane;

/// <summary>Builds and removes a workload's veth pair: the container side fully configured, the host side only created and up.</summary>
/// <remarks>
/// The host side's sysctls (proxy_arp, forwarding) and its /32 route are the agent's, programmed from the
/// WorkloadEndpoint; the plugin leaves them alone, so there is one owner for each. On failure everything
/// created here is deleted again before the exception leaves.
/// </remarks>
public static class VethPlumbing
{
    /// <summary>How long to wait for the host side's IPv6 link-local address to appear (it comes with carrier).</summary>
    private static readonly TimeSpan s_linkLocalWait = TimeSpan.FromSeconds(5);

    /// <param name="hostNamespace">The namespace <paramref name="host"/> works in, where the host side's sysctls are read.</param>
    public static WorkloadInterface Create(
        NetworkNamespace hostNamespace, RtNetlinkClient host, NetworkNamespace container, RtNetlinkClient inside, string hostName, string ifName,
        IReadOnlyList<IPAddress> addresses, int mtu, MacAddress? containerMac, bool allowIpForwarding)
    {
        ArgumentNullException.ThrowIfNull(hostNamespace);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(inside);
        ArgumentNullException.ThrowIfNull(addresses);
        RemoveStaleHostSide(host, hostName);
        var hasV4 = addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork);
        var hasV6 = addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);

        var veth = host.Links.CreateVeth(new VethSpec(hostName, ifName)
        {
            PeerNamespace = container,
            Mac = WorkloadGateway.HostMac,
            PeerMac = containerMac,
            Mtu = mtu > 0 ? mtu : null,
            Up = true,
        });
        try
        {
            if (veth.Mac != WorkloadGateway.HostMac)
                throw new CniException(CniErrorCode.Dataplane, $"the kernel did not take MAC {WorkloadGateway.HostMac} on {hostName}", $"it reads back {veth.Mac}");

            var settings = new List<SysctlSetting>();
            if (hasV6)
            {
                // DAD would hold the address back for a second on a link that has exactly two ends; and
                // IPv6 must be on in the container for its link-local address and the default route.
                settings.Add(new SysctlSetting("net/ipv6/conf/all/disable_ipv6", "0"));
                settings.Add(new SysctlSetting("net/ipv6/conf/default/disable_ipv6", "0"));
                settings.Add(new SysctlSetting("net/ipv6/conf/lo/disable_ipv6", "0"));
                settings.Add(new SysctlSetting($"net/ipv6/conf/{ifName}/accept_dad", "0"));
            }
            if (allowIpForwarding)
            {
                settings.Add(Sysctl.IpForward(true));
                if (hasV6)
                    settings.Add(Sysctl.Ipv6Forwarding(true));
            }
            if (settings.Count > 0)
                new Sysctl(container).Write(settings);

            var link = inside.Links.GetRequired(ifName);
            inside.Links.SetUp(link.Index, true);
            foreach (var address in addresses)
                inside.Addresses.Add(new InterfaceAddress(link.Index, address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32));

            var routes = new List<WorkloadRoute>();
            if (hasV4)
            {
                // A link-scope route makes 169.254.1.1 reachable, so the default route needs no onlink flag.
                inside.Routes.Add(new Route(WorkloadGateway.Ipv4Host) { InterfaceIndex = link.Index, Scope = RouteScope.Link, Protocol = RouteProtocol.Static });
                inside.Routes.Add(new Route(WorkloadGateway.Ipv4Default) { Gateway = WorkloadGateway.Ipv4, InterfaceIndex = link.Index, Protocol = RouteProtocol.Static });
                routes.Add(new WorkloadRoute(WorkloadGateway.Ipv4Host, null, LinkScope: true));
                routes.Add(new WorkloadRoute(WorkloadGateway.Ipv4Default, WorkloadGateway.Ipv4, LinkScope: false));
            }
            if (hasV6)
            {
                var gateway = HostLinkLocal(host, new Sysctl(hostNamespace), veth.Index, hostName);
                inside.Routes.Add(new Route(WorkloadGateway.Ipv6Default) { Gateway = gateway, InterfaceIndex = link.Index, Protocol = RouteProtocol.Static });
                routes.Add(new WorkloadRoute(WorkloadGateway.Ipv6Default, gateway, LinkScope: false));
            }

            var mac = inside.Links.GetRequired(ifName).Mac?.ToString() ?? "";
            return new WorkloadInterface(hostName, veth.Index, WorkloadGateway.HostMac.ToString(), mac, routes);
        }
        catch
        {
            // Deleting one end removes both, wherever the peer lives.
            TryRemoveHostSide(host, hostName);
            throw;
        }
    }

    /// <summary>Deletes the host side if it is a veth; true when something was deleted.</summary>
    public static bool RemoveHostSide(RtNetlinkClient host, string hostName)
    {
        ArgumentNullException.ThrowIfNull(host);
        var link = host.Links.Get(hostName);
        if (link is null || link.Kind != "veth")
            return false;
        try
        {
            host.Links.Delete(link.Index);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return false; // deleted under us (the container's namespace went away): the goal holds
        }
    }

    /// <summary>Deletes the container side by name inside its namespace if it is a veth (taking the host side with it).</summary>
    public static bool RemoveContainerSide(RtNetlinkClient inside, string ifName)
    {
        ArgumentNullException.ThrowIfNull(inside);
        var link = inside.Links.Get(ifName);
        if (link is null || link.Kind != "veth")
            return false;
        try
        {
            inside.Links.Delete(link.Index);
            return true;
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return false;
        }
    }

    public static void TryRemoveHostSide(RtNetlinkClient host, string hostName)
    {
        try
        {
            RemoveHostSide(host, hostName);
        }
        catch (NetlinkException)
        {
            // Best effort during rollback; the original failure is what the caller reports.
        }
    }

    /// <summary>A host side left from an earlier attempt is removed, as Calico does; a device of another kind is not ours to touch.</summary>
    private static void RemoveStaleHostSide(RtNetlinkClient host, string hostName)
    {
        var existing = host.Links.Get(hostName);
        if (existing is null)
            return;
        if (existing.Kind != "veth")
            throw new CniException(CniErrorCode.Dataplane, $"host interface {hostName} exists and is not a veth ({existing.Kind ?? "no kind"})",
                "Tabby only replaces veth pairs it could have created");
        host.Links.Delete(existing.Index);
    }

    /// <summary>The host side's IPv6 link-local address: the workload's IPv6 gateway.</summary>
    /// <remarks>
    /// The kernel adds it when the link gets carrier, which linkwatch may delay by up to a second when links
    /// churn. With the default addr_gen_mode (EUI-64) it is known in advance from the fixed MAC, so there is
    /// nothing to wait for; other modes are waited for. IPv6 off on the host side is an error, not a route to nowhere.
    /// </remarks>
    private static IPAddress HostLinkLocal(RtNetlinkClient host, Sysctl hostSysctls, int index, string hostName)
    {
        var existing = host.Addresses.List(index).FirstOrDefault(a => a.IsIPv6 && a.Address.IsIPv6LinkLocal);
        if (existing is not null)
            return existing.Address;
        // No settings for the interface at all means IPv6 is off in the whole namespace; a kernel without
        // the addr_gen_mode sysctl (older ones) is waited for like any mode other than EUI-64.
        var settings = hostSysctls.TryRead($"net/ipv6/conf/{hostName}/disable_ipv6", $"net/ipv6/conf/{hostName}/addr_gen_mode");
        if (settings[0] is null or "1")
            throw new CniException(CniErrorCode.Dataplane, $"IPv6 is disabled on host interface {hostName}",
                "the workload was given an IPv6 address, but the host side cannot answer for its gateway");
        if (settings[1] == "0")
            return Eui64LinkLocal(WorkloadGateway.HostMac);
        return WaitForLinkLocal(host, index, hostName);
    }

    /// <summary>fe80::/64 with the interface identifier modified EUI-64 makes of a MAC (RFC 4291 appendix A).</summary>
    public static IPAddress Eui64LinkLocal(MacAddress mac)
    {
        Span<byte> m = stackalloc byte[6];
        mac.WriteBytes(m);
        var bytes = new byte[16];
        bytes[0] = 0xfe;
        bytes[1] = 0x80;
        bytes[8] = (byte)(m[0] ^ 0x02);
        bytes[9] = m[1];
        bytes[10] = m[2];
        bytes[11] = 0xff;
        bytes[12] = 0xfe;
        bytes[13] = m[3];
        bytes[14] = m[4];
        bytes[15] = m[5];
        return new IPAddress(bytes);
    }

    /// <summary>Link-local addresses are added when the link gets carrier, a moment after both ends are up.</summary>
    private static IPAddress WaitForLinkLocal(RtNetlinkClient host, int index, string hostName)
    {
        var clock = Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            var linkLocal = host.Addresses.List(index).FirstOrDefault(a => a.IsIPv6 && a.Address.IsIPv6LinkLocal);
            if (linkLocal is not null)
                return linkLocal.Address;
            if (clock.Elapsed > s_linkLocalWait)
                throw new CniException(CniErrorCode.Dataplane, $"host interface {hostName} got no IPv6 link-local address",
                    "IPv6 may be disabled in the host namespace; the workload's IPv6 default route needs that address");
            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 20);
        }
    }
}
