using Tabby.Api.Resources;
using Tabby.Cni.Dataplane;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Store;
using Tabby.Cni.Workloads;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Linux.Netlink;

namespace Tabby.Cni.Plugin;

/// <summary>DEL: the veth, then the WorkloadEndpoint, then the address; anything already gone counts as done.</summary>
/// <remarks>
/// The order is ADD's reversed, so an address is free only once nothing refers to it. Every step is tried
/// even after another failed (DEL is best effort); the first failure is reported with all of them in the details.
/// A Kubernetes endpoint whose container ID is not this DEL's belongs to the pod's newer sandbox and is kept,
/// as Calico keeps it.
/// </remarks>
public static class DelCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var environment = context.Environment;
        var identity = AttachmentRequest.Identity(context);
        var failures = new List<CniException>();

        using (var container = ContainerNamespace.TryOpen(environment))
        {
            if (container is not null)
            {
                Try(failures, () => VethPlumbing.RemoveContainerSide(container.Netlink, environment.IfName));
                context.Log($"container side {environment.IfName} removed");
            }
        }

        using var host = RtNetlinkClient.OpenCurrent();
        // Kept open for the IPAM DEL too, when tabby-ipam runs in this process.
        IDatastore? store = null;
        try
        {
            store = DatastoreOpener.Open(conf.Datastore);
            var resources = new ResourceClient(store);
            var endpoint = await resources.GetAsync<WorkloadEndpoint>(identity.EndpointName, identity.Namespace, cancellationToken).ConfigureAwait(false);
            var ours = endpoint is not null && (string.IsNullOrEmpty(endpoint.Spec.ContainerId) || endpoint.Spec.ContainerId == identity.ContainerId);
            // Without a matching endpoint, a pod's hashed name may be its new sandbox's veth: only a plain
            // CNI workload's name (which hashes the container ID) is certainly this attachment's.
            var hostName = ours ? endpoint!.Spec.InterfaceName ?? identity.HostInterface : identity.IsKubernetes ? null : identity.HostInterface;
            if (hostName is not null)
                Try(failures, () => VethPlumbing.RemoveHostSide(host, hostName));
            if (ours)
            {
                await EndpointStore.DeleteAsync(resources, identity.EndpointName, identity.Namespace, null, cancellationToken).ConfigureAwait(false);
                context.Log($"deleted WorkloadEndpoint {identity.Namespace}/{identity.EndpointName}");
            }
            else if (endpoint is not null)
                context.Log($"kept WorkloadEndpoint {identity.EndpointName}: it is container {endpoint.Spec.ContainerId}'s");
        }
        catch (DatastoreMissingException)
        {
            // Nothing was ever stored, so there is no endpoint to delete; the veth may still be there.
            if (!identity.IsKubernetes)
                Try(failures, () => VethPlumbing.RemoveHostSide(host, identity.HostInterface));
        }
        catch (Exception e)
        {
            failures.Add(ExceptionMapper.ToCni(e));
            if (!identity.IsKubernetes)
                Try(failures, () => VethPlumbing.RemoveHostSide(host, identity.HostInterface));
        }

        try
        {
            if (conf.Ipam is not null)
            {
                try
                {
                    await IpamRunner.RunAsync(context, CniCommand.Del, store, cancellationToken).ConfigureAwait(false);
                    context.Log("IPAM released");
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
        {
            var first = failures[0];
            var details = string.Join("; ", failures.Select(f => f.Details is null ? f.Message : $"{f.Message}: {f.Details}"));
            throw new CniException(first.Code, first.Message, details) { RawError = failures.Count == 1 ? first.RawError : null };
        }
    }

    private static void Try(List<CniException> failures, Func<bool> step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            failures.Add(ExceptionMapper.ToCni(e));
        }
    }
}
