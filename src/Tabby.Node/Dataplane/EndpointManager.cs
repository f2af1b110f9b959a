using Tabby.Core.Naming;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Sysctls;
using Tabby.Node.Calc;

namespace Tabby.Node.Dataplane;

/// <summary>Makes each local workload's host-side interface a router port: sysctls and a /32 (/128) route; every other
/// <c>cali*</c> interface is closed (no proxy ARP, no forwarding, no route) until an endpoint claims it.</summary>
public sealed class EndpointManager
{
    private readonly Dictionary<EndpointId, LocalEndpoint> _endpoints = [];
    private readonly Dictionary<string, LocalEndpoint> _byInterface = new(StringComparer.Ordinal);

    // Interface name -> the index whose settings were written, so a re-created veth is configured again.
    private readonly Dictionary<string, int> _opened = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _closed = new(StringComparer.Ordinal);

    public IReadOnlyCollection<LocalEndpoint> Endpoints => _endpoints.Values;

    /// <summary>Endpoints whose interface exists and is configured.</summary>
    public int Programmed { get; private set; }

    public void Upsert(LocalEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (_endpoints.TryGetValue(endpoint.Id, out var old))
        {
            _byInterface.Remove(old.InterfaceName);
            _opened.Remove(old.InterfaceName);
        }

        _endpoints[endpoint.Id] = endpoint;
        _byInterface[endpoint.InterfaceName] = endpoint;
        // Settings depend on the endpoint's families; write them again for the new version.
        _opened.Remove(endpoint.InterfaceName);
    }

    public void Remove(EndpointId id)
    {
        if (_endpoints.Remove(id, out var old))
        {
            _byInterface.Remove(old.InterfaceName);
            _opened.Remove(old.InterfaceName);
        }
    }

    /// <summary>Forget what was written, so the next <see cref="Plan"/> writes every setting again (periodic resync).</summary>
    public void Invalidate()
    {
        _opened.Clear();
        _closed.Clear();
    }

    /// <summary>The sysctls to write and the routes wanted, given the interfaces that exist now.</summary>
    public (List<SysctlSetting> Sysctls, List<Route> Routes) Plan(IReadOnlyList<Link> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var sysctls = new List<SysctlSetting>();
        var routes = new List<Route>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        var programmed = 0;
        foreach (var link in links)
        {
            if (!link.Name.StartsWith(InterfaceNames.WorkloadPrefix, StringComparison.Ordinal) || InterfaceNames.Validate(link.Name) is not null)
                continue;
            present.Add(link.Name);
            if (_byInterface.TryGetValue(link.Name, out var endpoint))
            {
                programmed++;
                _closed.Remove(link.Name);
                if (!_opened.TryGetValue(link.Name, out var index) || index != link.Index)
                {
                    sysctls.AddRange(Open(endpoint));
                    _opened[link.Name] = link.Index;
                }

                foreach (var address in endpoint.Addresses)
                    routes.Add(Route.ToWorkload(address, link.Index));
            }
            else
            {
                _opened.Remove(link.Name);
                if (!_closed.TryGetValue(link.Name, out var index) || index != link.Index)
                {
                    sysctls.AddRange(Close(link.Name));
                    _closed[link.Name] = link.Index;
                }
            }
        }

        foreach (var gone in _opened.Keys.Concat(_closed.Keys).Where(n => !present.Contains(n)).ToList())
        {
            _opened.Remove(gone);
            _closed.Remove(gone);
        }

        Programmed = programmed;
        return (sysctls, routes);
    }

    /// <summary>Forget an interface whose settings failed to apply (it vanished), so they are written again if it returns.</summary>
    public void Forget(string interfaceName)
    {
        _opened.Remove(interfaceName);
        _closed.Remove(interfaceName);
    }

    private static IEnumerable<SysctlSetting> Open(LocalEndpoint endpoint)
    {
        var name = endpoint.InterfaceName;
        // proxy_arp answers the workload's ARP for 169.254.1.1 with this interface's MAC; proxy_delay=0 answers at
        // once; strict rp_filter drops packets whose source is not routed back through this interface (anti-spoofing).
        yield return Sysctl.ProxyArp(name, true);
        yield return Sysctl.ProxyDelay(name, 0);
        yield return Sysctl.RpFilter(name, 1);
        yield return Sysctl.Forwarding(name, true);
        if (endpoint.Addresses.Any(a => a.IsIPv6))
        {
            yield return Sysctl.ProxyNdp(name, true);
            yield return Sysctl.AcceptRa(name, 0);
            yield return Sysctl.Forwarding(name, true, ipv6: true);
        }
    }

    private static IEnumerable<SysctlSetting> Close(string name)
    {
        // Fail closed: without proxy ARP the workload cannot resolve its gateway, without forwarding nothing it
        // sends is routed, and without a route nothing reaches it.
        yield return Sysctl.ProxyArp(name, false);
        yield return Sysctl.Forwarding(name, false);
    }
}
