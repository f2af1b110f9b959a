using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Bench.Netlink;

/// <summary>`./run bench netlink`: add, dump and delete 100,000 /32 routes with Tabby.Linux and with `ip -batch`, in one fresh namespace.</summary>
public static class NetlinkBench
{
    public static string Run(int count = 100_000)
    {
        using var namespaces = new NamespaceSet("bench");
        var ns = namespaces.Create("netlink");
        using var netlink = RtNetlinkClient.Open(ns);
        netlink.Links.SetUp(netlink.Links.GetRequired("lo").Index, true);
        var device = netlink.Links.CreateVeth(new VethSpec("bench0", "bench1"));
        netlink.Links.SetUp(netlink.Links.GetRequired("bench1").Index, true);

        // Warm the JIT and the kernel's FIB allocator so neither side pays first-use costs.
        var warmup = Routes(1000, device.Index, 0x0B000000);
        netlink.Routes.AddMany(warmup);
        netlink.Routes.DeleteMany(warmup);

        var routes = Routes(count, device.Index, 0x0A000000);
        // Kernel vs user CPU of the add, on stderr: it shows where the time goes (the FIB, not us).
        var process = Process.GetCurrentProcess();
        var (user0, kernel0) = (process.UserProcessorTime, process.PrivilegedProcessorTime);
        var add = Time(() => netlink.Routes.AddMany(routes));
        process.Refresh();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tabby add: {add.TotalMilliseconds:F0} ms wall, {(process.UserProcessorTime - user0).TotalMilliseconds:F0} ms user, {(process.PrivilegedProcessorTime - kernel0).TotalMilliseconds:F0} ms kernel"));

        var dumpMs = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            List<Route>? dumped = null;
            dumpMs = Math.Min(dumpMs, Time(() => dumped = netlink.Routes.List(RouteFilter.Tabby)).TotalMilliseconds);
            if (dumped!.Count != count)
                throw new InvalidOperationException($"dump returned {dumped.Count} routes, expected {count}");
        }
        var delete = Time(() => netlink.Routes.DeleteMany(routes));
        if (netlink.Routes.List(RouteFilter.Tabby).Count != 0)
            throw new InvalidOperationException("routes remained after the batch delete");

        var batchFile = Path.Combine(Path.GetTempPath(), $"tabby-bench-{Environment.ProcessId}.batch");
        try
        {
            File.WriteAllText(batchFile, Script("add", count));
            var ipAdd = Time(() => IpBatch(ns.Name!, batchFile));
            if (netlink.Routes.List(RouteFilter.Tabby).Count != count)
                throw new InvalidOperationException("ip -batch did not add every route");
            File.WriteAllText(batchFile, Script("del", count));
            var ipDel = Time(() => IpBatch(ns.Name!, batchFile));

            var tabbyAdd = count / add.TotalSeconds;
            var tabbyDel = count / delete.TotalSeconds;
            var ipAddRate = count / ipAdd.TotalSeconds;
            var ipDelRate = count / ipDel.TotalSeconds;
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"netlink-routes\",\"routes\":{count},\"tabby_add_per_s\":{tabbyAdd:F0},\"ipbatch_add_per_s\":{ipAddRate:F0},\"add_ratio\":{tabbyAdd / ipAddRate:F2},\"tabby_del_per_s\":{tabbyDel:F0},\"ipbatch_del_per_s\":{ipDelRate:F0},\"del_ratio\":{tabbyDel / ipDelRate:F2},\"dump_ms\":{dumpMs:F1}}}");
        }
        finally
        {
            File.Delete(batchFile);
        }
    }

    private static List<Route> Routes(int count, int device, uint baseAddress)
    {
        var routes = new List<Route>(count);
        for (var i = 0; i < count; i++)
            routes.Add(Route.ToWorkload(IpPrefix.V4(baseAddress + (uint)i, 32), device));
        return routes;
    }

    private static string Script(string verb, int count)
    {
        var text = new StringBuilder(count * 48);
        for (var i = 0; i < count; i++)
        {
            var a = 0x0A000000u + (uint)i;
            text.Append(CultureInfo.InvariantCulture, $"route {verb} {a >> 24}.{(a >> 16) & 0xff}.{(a >> 8) & 0xff}.{a & 0xff}/32 dev bench0 scope link proto 76\n");
        }
        return text.ToString();
    }

    private static void IpBatch(string ns, string file)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", ["-n", ns, "-batch", file]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start ip");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip -batch failed: {errors}");
    }

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }
}
