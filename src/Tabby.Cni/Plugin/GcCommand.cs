using Tabby.Api.Resources;
using Tabby.Cni.Config;
using Tabby.Cni.Dataplane;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Store;
using Tabby.Cni.Workloads;
using Tabby.Core.Naming;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Linux.Netlink;

namespace Tabby.Cni.Plugin;

/// <summary>GC: endpoints this network wrote on this node for attachments the runtime no longer has are removed (with their veths); then IPAM's GC.</summary>
/// <remarks>Only endpoints carrying this network's annotation and this node are candidates: another node's or network's are never touched.</remarks>
public static class GcCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var valid = (conf.ValidAttachments ?? throw new CniException(CniErrorCode.InvalidConfig, $"GC needs {NetConfReader.ValidAttachmentsKey}",
                "without the list of attachments to keep, GC cannot tell stale ones apart"))
            .Select(a => (a.ContainerId, a.IfName)).ToHashSet();
        var node = NodeNames.Resolve(conf);
        var failures = new List<CniException>();

        // Kept open for the IPAM GC too, when tabby-ipam runs in this process.
        IDatastore? store = null;
        try
        {
            store = DatastoreOpener.Open(conf.Datastore);
            var resources = new ResourceClient(store);
            using var host = RtNetlinkClient.OpenCurrent();
            var endpoints = await resources.ListAsync<WorkloadEndpoint>(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var endpoint in endpoints.Items)
            {
                var spec = endpoint.Spec;
                if (spec.Node != node || endpoint.Metadata.Annotations?.GetValueOrDefault(EndpointFactory.NetworkAnnotation) != conf.Name)
                    continue;
                if (valid.Contains((spec.ContainerId ?? "", spec.Endpoint ?? "")))
                    continue;
                try
                {
                    if (spec.InterfaceName is { Length: > 0 } hostName && hostName.StartsWith(InterfaceNames.WorkloadPrefix, StringComparison.Ordinal))
                        VethPlumbing.RemoveHostSide(host, hostName);
                    await EndpointStore.DeleteAsync(resources, endpoint.Metadata.Name!, endpoint.Metadata.Namespace!, endpoint.Metadata.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    context.Log($"collected WorkloadEndpoint {endpoint.Metadata.Namespace}/{endpoint.Metadata.Name}");
                }
                catch (DatastoreConflictException)
                {
                    // Rewritten since the list: a live attachment, not garbage.
                }
                catch (Exception e)
                {
                    failures.Add(ExceptionMapper.ToCni(e));
                }
            }
        }
        catch (DatastoreMissingException)
        {
            // No datastore, no endpoints to collect.
        }
        catch (Exception e)
        {
            failures.Add(ExceptionMapper.ToCni(e));
        }

        try
        {
            if (conf.Ipam is not null)
            {
                try
                {
                    await IpamRunner.RunAsync(context, CniCommand.Gc, store, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    failures.Add(ExceptionMapper.ToCni(e));
                }
            }
        }
        finally
        {
            if (store is not null)
                await store.DisposeAsync().ConfigureAwait(false);
        }

        if (failures.Count > 0)
            throw new CniException(failures[0].Code, $"GC could not remove everything: {failures[0].Message}",
                string.Join("; ", failures.Select(f => f.Details is null ? f.Message : $"{f.Message}: {f.Details}")));
    }
}
