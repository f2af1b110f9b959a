using Tabby.Cni.Hosting;
using Tabby.Cni.Plugin;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;
using Tabby.Cni.Store;
using Tabby.Ipam.Client;

namespace Tabby.Cni.Ipam;

/// <summary>tabby-ipam CHECK: every address in prevResult is still allocated to the attachment's handle.</summary>
public static class IpamCheckCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Conf.PrevResult is not { } prevElement)
            throw new CniException(CniErrorCode.InvalidConfig, "CHECK needs prevResult", "the runtime passes ADD's result as prevResult");
        var prev = ResultReader.Read(prevElement, "prevResult");
        var identity = AttachmentRequest.Identity(context);
        var handle = identity.HandleId(context.Conf.Name);

        await using var lease = DatastoreLease.Of(context.LentStore, context.Conf.Datastore);
        var held = (await new IpamClient(lease.Store).IpsByHandleAsync(handle, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var missing = prev.Ips.Select(ip => ip.Address.Host).Where(a => !held.Contains(a)).ToList();
        if (missing.Count > 0)
            throw new CniException(CniErrorCode.CheckFailed, $"IPAM handle {handle} does not hold {string.Join(", ", missing)}",
                held.Count == 0 ? "it holds no addresses" : $"it holds {string.Join(", ", held)}");
    }
}
