using Tabby.Datastore;
using Tabby.Ipam.Host;

// tabby-ipam-host --datastore CONN --host NAME --allocations N --keep-every K --seed S [--pause-after N]
// Exit 0 after "done"; 3 when a step failed for good (the error is on stderr).
var options = HostOptions.Parse(args);
Console.Out.Flush();
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
Console.SetOut(stdout);
await using var datastore = DatastoreConnectionString.Open(options.Datastore);
try
{
    await new CniHost(options, datastore).RunAsync();
    return 0;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"failed: {e}");
    return 3;
}
