using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Bench.Bgp;

/// <summary>`./run bench bgp`: route-reflector propagation of 100,000 prefixes through Tabby, BIRD, FRR and GoBGP, and 1,000 sessions to Tabby and BIRD.</summary>
public static class BgpPropagationBench
{
    private const uint As = 65000;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(180);

    public static async Task<string> RunAsync(int prefixes = 100_000, int sessions = 1000)
    {
        var work = Directory.CreateTempSubdirectory("tabby-bench-bgp-").FullName;
        File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        try
        {
            var (announce, withdraw) = Encode(prefixes);
            var results = new Dictionary<string, Result>();
            // TABBY_BENCH_DUTS=tabby,bird narrows a run while tuning; the JSON line needs all four.
            var kinds = Environment.GetEnvironmentVariable("TABBY_BENCH_DUTS")?.Split(',') ?? ["tabby", "bird", "frr", "gobgp"];
            foreach (var kind in kinds)
            {
                results[kind] = await PropagateAsync(kind, announce, withdraw, prefixes, Path.Combine(work, kind)).ConfigureAwait(false);
                Console.Error.WriteLine($"{kind}: {results[kind]}");
            }
            if (kinds.Length < 4)
                return "{}";
            var tabbyUp = await SessionsAsync("tabby", sessions, Path.Combine(work, "sessions-tabby")).ConfigureAwait(false);
            var birdUp = await SessionsAsync("bird", sessions, Path.Combine(work, "sessions-bird")).ConfigureAwait(false);
            Console.Error.WriteLine($"sessions up: tabby {tabbyUp:F0} ms, bird {birdUp:F0} ms");
            var t = results["tabby"];
            var lost = results.Values.Sum(r => r.Lost);
            return string.Create(CultureInfo.InvariantCulture,
                $"{{\"bench\":\"bgp-propagation\",\"prefixes\":{prefixes},\"tabby_ms\":{t.AnnounceMs:F0},\"bird_ms\":{results["bird"].AnnounceMs:F0},\"frr_ms\":{results["frr"].AnnounceMs:F0},\"gobgp_ms\":{results["gobgp"].AnnounceMs:F0},\"tabby_vs_bird\":{t.AnnounceMs / results["bird"].AnnounceMs:F2},\"withdraw_tabby_ms\":{t.WithdrawMs:F0},\"withdraw_bird_ms\":{results["bird"].WithdrawMs:F0},\"tabby_rss_mb\":{t.RssMb:F0},\"bird_rss_mb\":{results["bird"].RssMb:F0},\"lost\":{lost},\"sessions\":{sessions},\"tabby_sessions_up_ms\":{tabbyUp:F0},\"bird_sessions_up_ms\":{birdUp:F0}}}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record Result(double AnnounceMs, double WithdrawMs, double RssMb, int Lost, double AnnounceCpuMs)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"announce {AnnounceMs:F0} ms (device CPU {AnnounceCpuMs:F0} ms), withdraw {WithdrawMs:F0} ms, peak RSS {RssMb:F0} MB, lost {Lost}");
    }

    /// <summary>100,000 /32s in 1,000 attribute groups (different MEDs, communities and AS paths), packed as a real sender would.</summary>
    private static (List<byte[]> Announce, List<byte[]> Withdraw) Encode(int count)
    {
        var sender = IPAddress.Parse("10.0.0.1");
        var announce = new List<byte[]>();
        var all = new IpPrefix[count];
        const int groups = 1000;
        var perGroup = (count + groups - 1) / groups;
        for (var g = 0; g < groups && g * perGroup < count; g++)
        {
            var prefixes = new IpPrefix[Math.Min(perGroup, count - (g * perGroup))];
            for (var i = 0; i < prefixes.Length; i++)
                prefixes[i] = all[(g * perGroup) + i] = IpPrefix.V4(0x0A400000u + (uint)((g * perGroup) + i), 32);
            var attributes = new PathAttributes
            {
                Origin = BgpOrigin.Igp,
                AsPath = g % 3 == 0 ? AsPath.Empty : AsPath.Sequence(64512 + (uint)(g % 50)),
                NextHop = sender,
                LocalPref = 100,
                Med = (uint)(g % 7),
                Communities = new ValueList<Community>([new Community(65000, (ushort)g), new Community(65000, 1)]),
            };
            announce.AddRange(BgpUpdatePacker.PackAnnouncements(attributes, prefixes, BgpCodecContext.Default));
        }
        return (announce, BgpUpdatePacker.PackWithdrawals(all));
    }

    private static async Task<Result> PropagateAsync(string kind, List<byte[]> announce, List<byte[]> withdraw, int count, string dir)
    {
        using var namespaces = new NamespaceSet("bbgp");
        var segment = Segment.Build(namespaces, 3);
        var (senderHost, dutHost, receiverHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        using var dut = StartDut(kind, dutHost, [senderHost.Address, receiverHost.Address], dir);
        var receiver = await HarnessSession.ConnectAsync(receiverHost.Namespace, receiverHost.Address, dutHost.Address, As, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await using var receiverScope = receiver.ConfigureAwait(false);
        receiver.CountOnly = IpPrefix.Parse("10.64.0.0/12");
        var sender = await HarnessSession.ConnectAsync(senderHost.Namespace, senderHost.Address, dutHost.Address, As, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await using var senderScope = sender.ConfigureAwait(false);
        await CommandRunner.WaitUntilAsync(() => (dut.IsEstablished(senderHost.Address) && dut.IsEstablished(receiverHost.Address), dut.Log()), TimeSpan.FromSeconds(30), $"{kind} to establish both harness sessions").ConfigureAwait(false);

        var cpuBefore = CpuMs(dut.Pid);
        var watch = Stopwatch.StartNew();
        var receiving = receiver.ReceiveUntilAsync(r => r.Announced >= count, s_deadline);
        await sender.SendAsync(announce).ConfigureAwait(false);
        var complete = await receiving.ConfigureAwait(false);
        var announceMs = watch.Elapsed.TotalMilliseconds;
        var announceCpuMs = CpuMs(dut.Pid) - cpuBefore;
        var lost = count - receiver.Announced;

        watch.Restart();
        receiving = receiver.ReceiveUntilAsync(r => r.Withdrawn >= count - lost, s_deadline);
        await sender.SendAsync(withdraw).ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        var withdrawMs = watch.Elapsed.TotalMilliseconds;
        return new Result(complete ? announceMs : double.NaN, withdrawMs, PeakRssMb(dut.Pid), lost, announceCpuMs);
    }

    private static IBgpDaemon StartDut(string kind, SegmentMember host, IReadOnlyList<IPAddress> clients, string dir)
    {
        var spec = new BgpRouterSpec(host.Address, As, host.Address)
        {
            Neighbors = clients.Select(c => new BgpNeighborSpec(c, As) { RouteReflectorClient = true, Passive = true }).ToList(),
        };
        return kind switch
        {
            "tabby" => TabbyDaemon.Start(host.Namespace, spec, dir),
            "bird" => BirdDaemon.Start(host.Namespace, spec, dir),
            "frr" => FrrDaemon.Start(host.Namespace, spec, dir),
            _ => GobgpDaemon.Start(host.Namespace, spec, dir),
        };
    }

    /// <summary>Time from the first connection attempt until all <paramref name="count"/> client sessions are Established.</summary>
    private static async Task<double> SessionsAsync(string kind, int count, string dir)
    {
        using var namespaces = new NamespaceSet("bses");
        var segment = Segment.Build(namespaces, 2);
        var (clientsHost, dutHost) = (segment.Members[0], segment.Members[1]);
        var addresses = Enumerable.Range(0, count).Select(i => IPAddress.Parse($"10.0.{10 + (i / 250)}.{1 + (i % 250)}")).ToList();
        using (var netlink = Tabby.Linux.Netlink.RtNetlinkClient.Open(clientsHost.Namespace))
        {
            var eth0 = netlink.Links.GetRequired("eth0").Index;
            foreach (var address in addresses)
                netlink.Addresses.Add(new Tabby.Linux.Netlink.Addresses.InterfaceAddress(eth0, address, 16));
        }
        using var dut = StartDut(kind, dutHost, addresses, dir);
        var watch = Stopwatch.StartNew();
        var clients = await Task.WhenAll(addresses.Select(a => HarnessSession.ConnectAsync(clientsHost.Namespace, a, dutHost.Address, As, TimeSpan.FromSeconds(60)))).ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        foreach (var client in clients)
            await client.DisposeAsync().ConfigureAwait(false);
        return elapsed;
    }

    /// <summary>User plus system CPU time of a process and its threads (for FRR, of bgpd only), in milliseconds.</summary>
    private static double CpuMs(int pid)
    {
        // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name, in clock ticks (100 Hz).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    private static double PeakRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }
}
