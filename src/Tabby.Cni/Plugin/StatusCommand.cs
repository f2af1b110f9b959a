using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Store;

namespace Tabby.Cni.Plugin;

/// <summary>STATUS: ready when the datastore answers and the IPAM plugin says it is ready too.</summary>
public static class StatusCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await DatastoreProbe.EnsureReachableAsync(context.Conf.Datastore, cancellationToken).ConfigureAwait(false);
        if (context.Conf.Ipam is not null)
            await IpamRunner.RunAsync(context, CniCommand.Status, null, cancellationToken).ConfigureAwait(false);
    }
}
