using Tabby.Bench.Bgp;
using Tabby.Bench.Cni;
using Tabby.Bench.Podnet;
using Tabby.Bench.Datastore;
using Tabby.Bench.Ipam;
using Tabby.Bench.Netlink;
using Tabby.Bench.Selectors;

// `./run bench NAME`: each benchmark prints exactly one JSON line on stdout; progress goes to stderr.
var name = args.Length > 0 ? args[0] : string.Empty;
switch (name)
{
    case "netlink":
        Console.WriteLine(NetlinkBench.Run());
        return 0;
    case "bgp":
        Console.WriteLine(await BgpPropagationBench.RunAsync(
            sessions: int.TryParse(Environment.GetEnvironmentVariable("TABBY_BENCH_SESSIONS"), out var sessions) ? sessions : 5000));
        return 0;
    case "bgp-fuzz":
        Console.WriteLine(BgpFuzzBench.Run(args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, seed: 4271));
        return 0;
    case "selectors":
        Console.WriteLine(SelectorsBench.Run());
        return 0;
    case "datastore":
        Console.WriteLine(await DatastoreBench.RunAsync());
        return 0;
    case "podnet":
        Console.WriteLine(await PodnetBench.RunAsync());
        return 0;
    case "cni":
        Console.WriteLine(await CniBench.RunAsync());
        return 0;
    case "ipam":
        Console.WriteLine(await IpamBench.RunAsync());
        return 0;
    case "datastore-writer":
        return await DatastoreBench.RunWriterAsync(args[1..]);
    default:
        Console.Error.WriteLine($"unknown benchmark '{name}'; known: netlink, bgp, bgp-fuzz, selectors, datastore, ipam, cni, podnet");
        return 2;
}
