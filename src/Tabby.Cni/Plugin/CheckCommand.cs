using Tabby.Api.Resources;
using Tabby.Cni.Dataplane;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;
using Tabby.Cni.Store;
using Tabby.Datastore.Resources;
using Tabby.Linux.Netlink;

namespace Tabby.Cni.Plugin;

/// <summary>CHECK: what prevResult says ADD built must still exist, in the kernel and in the datastore; then IPAM's CHECK.</summary>
public static class CheckCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var environment = context.Environment;
        if (conf.PrevResult is not { } prevElement)
            throw new CniException(CniErrorCode.InvalidConfig, "CHECK needs prevResult", "the runtime passes ADD's result as prevResult");
        var prev = ResultReader.Read(prevElement, "prevResult");
        var identity = AttachmentRequest.Identity(context);

        var containerIndex = prev.Interfaces.FindIndex(i => i.Name == environment.IfName && (string.IsNullOrEmpty(i.Sandbox) || i.Sandbox == environment.Netns));
        if (containerIndex < 0)
            throw new CniException(CniErrorCode.CheckFailed, $"prevResult lists no interface {environment.IfName} in {environment.Netns}");
        var containerInterface = prev.Interfaces[containerIndex];
        var addresses = prev.Ips.Where(ip => ip.Interface == containerIndex).Select(ip => ip.Address.Host).ToList();

        await using var store = DatastoreOpener.Open(conf.Datastore);
        var resources = new ResourceClient(store);
        var endpoint = await resources.GetAsync<WorkloadEndpoint>(identity.EndpointName, identity.Namespace, cancellationToken).ConfigureAwait(false);
        var hostName = endpoint?.Spec.InterfaceName ?? identity.HostInterface;

        var problems = new List<string>();
        using (var container = ContainerNamespace.Open(environment))
        using (var host = RtNetlinkClient.OpenCurrent())
            problems.AddRange(VethCheck.Verify(host, container.Netlink, hostName, environment.IfName, containerInterface.Mac, addresses, prev.Routes));

        if (endpoint is null)
            problems.Add($"WorkloadEndpoint {identity.Namespace}/{identity.EndpointName} does not exist");
        else
        {
            var spec = endpoint.Spec;
            if (spec.ContainerId != identity.ContainerId)
                problems.Add($"WorkloadEndpoint {identity.EndpointName} is container {spec.ContainerId}'s, not {identity.ContainerId}'s");
            if (spec.Node != identity.Node)
                problems.Add($"WorkloadEndpoint {identity.EndpointName} is on node {spec.Node}, not {identity.Node}");
            if (!string.IsNullOrEmpty(containerInterface.Mac) && !string.Equals(spec.Mac, containerInterface.Mac, StringComparison.OrdinalIgnoreCase))
                problems.Add($"WorkloadEndpoint {identity.EndpointName} has MAC {spec.Mac}, the result says {containerInterface.Mac}");
            var stored = (spec.IpNetworks ?? []).Order(StringComparer.Ordinal).ToList();
            var expected = addresses.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList();
            if (!stored.SequenceEqual(expected))
                problems.Add($"WorkloadEndpoint {identity.EndpointName} has ipNetworks [{string.Join(", ", stored)}], the result says [{string.Join(", ", expected)}]");
        }

        if (problems.Count > 0)
            throw new CniException(CniErrorCode.CheckFailed, $"the attachment of {environment.ContainerId} ({environment.IfName}) is not as ADD left it", string.Join("; ", problems));
        if (conf.Ipam is not null)
            await IpamRunner.RunAsync(context, CniCommand.Check, store, cancellationToken).ConfigureAwait(false);
    }
}
