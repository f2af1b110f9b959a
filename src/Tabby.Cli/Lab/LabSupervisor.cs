using System.Runtime.InteropServices;
using Tabby.Lab.Cluster;

namespace Tabby.Cli.Lab;

/// <summary>`tabby lab supervise` (started by `tabby lab up`): builds a lab, owns it, and tears it down on SIGTERM.</summary>
/// <remarks>
/// The lab's namespaces carry the supervisor's pid in their prefix, so `./run` and `tabby lab sweep` leave a
/// live lab alone and clean up after one whose supervisor died.
/// </remarks>
internal static class LabSupervisor
{
    public static async Task<int> RunAsync(string name, ClusterSpec spec, CancellationToken token)
    {
        var statePath = LabStateFiles.State(name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        LabCluster cluster;
        try
        {
            cluster = await LabCluster.StartAsync(spec, line => Console.WriteLine(line), stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"lab failed: {e.Message}");
            return 1;
        }

        await using (cluster.ConfigureAwait(false))
        {
            var temporary = statePath + ".tmp";
            await File.WriteAllTextAsync(temporary, cluster.DescribeJson(Environment.ProcessId), CancellationToken.None).ConfigureAwait(false);
            File.Move(temporary, statePath, overwrite: true);
            Console.WriteLine($"ready; state in {statePath}");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("stopping: agents, datastore, namespaces");
            }

            File.Delete(statePath);
        }

        Console.WriteLine("lab down");
        return 0;
    }
}
