using System.Diagnostics;
using System.Net;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Bench.Bgp;

/// <summary>Time from the first connection attempt until N client sessions to one device are all Established.</summary>
/// <remarks>
/// The clients' addresses sit behind their host (10.1.0.0/16 on its loopback, routed via its eth0) rather than on the
/// shared segment: the kernel's neighbour table is one for all namespaces and holds 1,024 entries by default, so 5,000
/// on-link clients would have the device's ARP entries overflow and drop sessions. Routed, they cost one entry.
/// </remarks>
internal static class SessionsBench
{
    public static async Task<double?> RunAsync(string kind, int count, string dir, TimeSpan deadline)
    {
        using var namespaces = new NamespaceSet("bses");
        var segment = Segment.Build(namespaces, 2);
        var (clientsHost, dutHost) = (segment.Members[0], segment.Members[1]);
        var addresses = Enumerable.Range(0, count).Select(i => IPAddress.Parse($"10.1.{i / 250}.{1 + (i % 250)}")).ToList();
        using (var netlink = Tabby.Linux.Netlink.RtNetlinkClient.Open(clientsHost.Namespace))
        {
            var lo = netlink.Links.GetRequired("lo").Index;
            foreach (var address in addresses)
                netlink.Addresses.Add(new Tabby.Linux.Netlink.Addresses.InterfaceAddress(lo, address, 32));
        }
        using (var netlink = Tabby.Linux.Netlink.RtNetlinkClient.Open(dutHost.Namespace))
            netlink.Routes.Add(Tabby.Linux.Netlink.Routes.Route.Via(Tabby.Core.Addressing.IpPrefix.Parse("10.1.0.0/16"), clientsHost.Address));
        using var dut = Devices.Start(kind, dutHost, addresses, dir, routed: true);
        var watch = Stopwatch.StartNew();
        var connecting = addresses.Select(a => HarnessSession.ConnectAsync(clientsHost.Namespace, a, dutHost.Address, Devices.As, deadline, bufferSize: 16 * 1024)).ToList();
        HarnessSession[] clients;
        try
        {
            clients = await Task.WhenAll(connecting).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{kind}: not all {count} sessions came up within {deadline.TotalSeconds:F0} s: {e.Message}");
            foreach (var task in connecting.Where(t => t.IsCompletedSuccessfully))
                await task.Result.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        var elapsed = watch.Elapsed.TotalMilliseconds;
        foreach (var client in clients)
            await client.DisposeAsync().ConfigureAwait(false);
        return elapsed;
    }
}
