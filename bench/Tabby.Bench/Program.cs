using Tabby.Bench.Bgp;
using Tabby.Bench.Cni;
using Tabby.Bench.Failover;
using Tabby.Bench.Podnet;
using Tabby.Bench.Datastore;
using Tabby.Bench.Ipam;
using Tabby.Bench.Netlink;
using Tabby.Bench.Scale;
using Tabby.Bench.Selectors;
using Tabby.Lab.Cluster;

// `./run bench NAME`: each benchmark prints exactly one JSON line on stdout; progress goes to stderr.
var name = args.Length > 0 ? args[0] : string.Empty;
const string Known = "netlink, bgp, bgp-fuzz, selectors, datastore, ipam, cni, podnet, scale [--datastore sqlite|etcd], failover";

// Ctrl-C or SIGTERM cancels a lab benchmark, which then stops its processes and removes its namespaces before exiting.
using var interrupted = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Cancel);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Cancel);
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
    case "scale":
        // One datastore per run, so a run prints exactly the one line the issue names with exactly its keys: the
        // embedded SQLite datastore by default (the line for the issue), etcd with `--datastore etcd` (the same keys;
        // the datastore shows in the progress on stderr). Two labs of thirty agents in one run would also double the
        // time and leave the second measured on a machine still settling from the first.
        var datastore = args.Length == 1 ? "sqlite" : args is [_, "--datastore", var d] ? d : null;
        if (datastore is not ("sqlite" or "etcd"))
        {
            Console.Error.WriteLine("usage: scale [--datastore sqlite|etcd] (default sqlite)");
            return 2;
        }

        Console.WriteLine(await ScaleBench.RunAsync(datastore == "etcd" ? ClusterDatastore.Etcd : ClusterDatastore.Sqlite, interrupted.Token));
        return 0;
    case "failover":
        Console.WriteLine(await FailoverBench.RunAsync(interrupted.Token));
        return 0;
    case "datastore-writer":
        return await DatastoreBench.RunWriterAsync(args[1..]);
    default:
        Console.Error.WriteLine($"unknown benchmark '{name}'; known: {Known}");
        return 2;
}

void Cancel(System.Runtime.InteropServices.PosixSignalContext context)
{
    if (interrupted.IsCancellationRequested)
        return;
    context.Cancel = true;
    Console.Error.WriteLine($"{context.Signal}: stopping and cleaning up");
    interrupted.Cancel();
}
