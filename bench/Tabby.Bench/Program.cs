using Tabby.Bench.Netlink;

// `./run bench NAME`: each benchmark prints exactly one JSON line on stdout.
var name = args.Length > 0 ? args[0] : string.Empty;
switch (name)
{
    case "netlink":
        Console.WriteLine(NetlinkBench.Run());
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{name}'; known: netlink");
        return 2;
}
