using Tabby.Cni.Hosting;
using Tabby.Cni.Plugin;
using Tabby.Cni.Store;
using Tabby.Datastore;
using Tabby.Ipam.Client;

namespace Tabby.Cni.Ipam;

/// <summary>tabby-ipam DEL: release everything the handle holds; a handle that holds nothing (or no datastore at all) is success.</summary>
public static class IpamDelCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var identity = AttachmentRequest.Identity(context);
        var handle = identity.HandleId(context.Conf.Name);
        try
        {
            await using var lease = DatastoreLease.Of(context.LentStore, context.Conf.Datastore);
            var released = await new IpamClient(lease.Store).ReleaseByHandleAsync(handle, cancellationToken).ConfigureAwait(false);
            context.Log($"handle {handle}: released {released}");
        }
        catch (DatastoreMissingException)
        {
            // No datastore: nothing was ever allocated.
        }
    }
}
