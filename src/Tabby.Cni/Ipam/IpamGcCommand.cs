using Tabby.Cni.Config;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Store;
using Tabby.Datastore;
using Tabby.Ipam.Client;

namespace Tabby.Cni.Ipam;

/// <summary>tabby-ipam GC: releases this network's handles on this node whose container has no valid attachment.</summary>
/// <remarks>
/// A handle &lt;network&gt;.&lt;containerID&gt; is a candidate when its container is not in
/// cni.dev/valid-attachments; it is released only when its allocations say they are this node's (a runtime
/// knows only its own node's attachments) and, when recorded, this network's.
/// </remarks>
public static class IpamGcCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var valid = (conf.ValidAttachments ?? throw new CniException(CniErrorCode.InvalidConfig, $"GC needs {NetConfReader.ValidAttachmentsKey}",
                "without the list of attachments to keep, GC cannot tell stale ones apart"))
            .Select(a => a.ContainerId).ToHashSet(StringComparer.Ordinal);
        var node = NodeNames.Resolve(conf);
        var prefix = conf.Name + ".";

        DatastoreLease lease;
        try
        {
            lease = DatastoreLease.Of(context.LentStore, conf.Datastore);
        }
        catch (DatastoreMissingException)
        {
            return;
        }
        await using (lease.ConfigureAwait(false))
        {
            var ipam = new IpamClient(lease.Store);
            var failures = new List<string>();
            var handles = await ipam.Store.ListHandlesAsync(0, cancellationToken).ConfigureAwait(false);
            foreach (var (handleId, _, _, _) in handles)
            {
                if (!handleId.StartsWith(prefix, StringComparison.Ordinal) || valid.Contains(handleId[prefix.Length..]))
                    continue;
                try
                {
                    var addresses = await ipam.IpsByHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
                    if (addresses.Count == 0)
                        continue;
                    var owner = await ipam.GetAllocationAsync(addresses[0].Address.ToString(), cancellationToken).ConfigureAwait(false);
                    var attributes = owner?.Attributes;
                    if (attributes is null || attributes.GetValueOrDefault(IpamAttributes.Node) != node)
                        continue;
                    if (attributes.TryGetValue(IpamAttributes.Network, out var network) && network != conf.Name)
                        continue;
                    var released = await ipam.ReleaseByHandleAsync(handleId, cancellationToken).ConfigureAwait(false);
                    context.Log($"collected handle {handleId} ({released} addresses)");
                }
                catch (Exception e)
                {
                    failures.Add($"{handleId}: {ExceptionMapper.ToCni(e).Message}");
                }
            }
            if (failures.Count > 0)
                throw new CniException(CniErrorCode.TryAgainLater, "GC could not release every stale address", string.Join("; ", failures));
        }
    }
}
