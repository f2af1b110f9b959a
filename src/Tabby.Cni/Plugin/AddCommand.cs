using System.Net;
using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Cni.Config;
using Tabby.Cni.Dataplane;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;
using Tabby.Cni.Store;
using Tabby.Cni.Workloads;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;

namespace Tabby.Cni.Plugin;

/// <summary>ADD: an address from IPAM, a veth pair with the container side configured, the WorkloadEndpoint, the result.</summary>
/// <remarks>
/// Everything that can be checked without side effects is checked first (configuration, names, the
/// container's namespace and interface). After the address is allocated, any failure undoes what was done,
/// newest first: endpoint, veth, address. The host side's sysctls and route are the agent's.
/// </remarks>
public static class AddCommand
{
    public static async Task RunAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var environment = context.Environment;
        if (conf.Ipam is null)
            throw new CniException(CniErrorCode.InvalidConfig, "the configuration has no ipam section", "add \"ipam\": {\"type\": \"tabby-ipam\"}");
        var identity = AttachmentRequest.Identity(context);
        var requestedMac = AttachmentRequest.ContainerMac(context);
        EndpointFactory.EnsureValid(EndpointFactory.Build(identity, conf, identity.HostInterface, requestedMac?.ToString(), []), "WorkloadEndpoint");
        var profile = identity.IsKubernetes || !string.IsNullOrEmpty(conf.PolicyType) ? null : EndpointFactory.NetworkProfile(conf.Name);
        if (profile is not null)
            EndpointFactory.EnsureValid(profile, "Profile");
        IpamRunner.EnsureAvailable(context);

        using var container = ContainerNamespace.Open(environment);
        if (container.Netlink.Links.Get(environment.IfName) is not null)
            throw new CniException(CniErrorCode.InterfaceExists, $"container interface {environment.IfName} already exists in {environment.Netns}",
                "CNI ADD creates the interface; DEL the attachment first");
        // The plugin runs in the host's namespace: the one this thread is in.
        using var hostNamespace = NetworkNamespace.OpenCurrent();
        using var host = RtNetlinkClient.OpenCurrent();
        context.Log($"endpoint {identity.EndpointName}, host interface {identity.HostInterface}");

        await using var store = DatastoreOpener.Open(conf.Datastore);
        var resources = new ResourceClient(store);
        if (profile is not null)
            await EndpointStore.EnsureProfileAsync(resources, profile, cancellationToken).ConfigureAwait(false);

        var addresses = await AllocateAsync(context, store, cancellationToken).ConfigureAwait(false);
        context.Log($"IPAM gave {string.Join(", ", addresses)}");

        var mtu = WorkloadMtu.Resolve(conf);
        WorkloadInterface? plumbing = null;
        WorkloadEndpoint? written = null;
        var writing = false;
        CniResult result;
        try
        {
            context.FaultPoint("ipam");
            plumbing = VethPlumbing.Create(hostNamespace, host, container.Namespace, container.Netlink, identity.HostInterface, environment.IfName, addresses, mtu, requestedMac, conf.AllowIpForwarding);
            context.Log($"veth {plumbing.HostName} (index {plumbing.HostIndex}) <-> {environment.IfName} {plumbing.ContainerMac}");
            context.FaultPoint("veth");
            var endpoint = EndpointFactory.Build(identity, conf, plumbing.HostName, plumbing.ContainerMac, addresses.Select(IpPrefix.Host));
            context.FaultPoint("endpoint");
            writing = true;
            written = await EndpointStore.WriteAsync(resources, endpoint, cancellationToken).ConfigureAwait(false);
            context.Log($"wrote WorkloadEndpoint {identity.Namespace}/{identity.EndpointName} at {written.Metadata.ResourceVersion}");
            context.FaultPoint("result");
            result = Result(context, addresses, plumbing, mtu);
        }
        catch (Exception e)
        {
            var failure = ExceptionMapper.ToCni(e);
            var undone = await RollBackAsync(context, store, resources, host, identity, written, writing, removeVeth: plumbing is not null).ConfigureAwait(false);
            throw new CniException(failure.Code, failure.Message, Join(failure.Details, undone), failure) { RawError = failure.RawError };
        }

        context.Output(ResultWriter.ToJson(result, context.Version, conf.PrevResult));
        context.Log("done");
    }

    private static CniResult Result(PluginContext context, List<IPAddress> addresses, WorkloadInterface plumbing, int mtu)
    {
        var environment = context.Environment;
        return new CniResult
        {
            Interfaces =
            [
                new ResultInterface(plumbing.HostName, plumbing.HostMac),
                new ResultInterface(environment.IfName, plumbing.ContainerMac, environment.Netns, mtu > 0 ? mtu : null),
            ],
            Ips = [.. addresses.Select(a => new ResultIp(CidrAddress.HostOf(a), Interface: 1))],
            Routes = [.. plumbing.Routes.Select(r => new ResultRoute(new CidrAddress(r.Destination.Address, r.Destination.Length), r.Gateway, r.LinkScope ? (int)RouteScope.Link : null))],
            Dns = context.Conf.Dns,
        };
    }

    /// <summary>Runs the IPAM plugin; its failure is followed by an IPAM DEL, as the spec asks, before it is reported.</summary>
    private static async Task<List<IPAddress>> AllocateAsync(PluginContext context, IDatastore store, CancellationToken cancellationToken)
    {
        var type = context.Conf.Ipam!.Type;
        byte[] output;
        try
        {
            output = await IpamRunner.RunAsync(context, CniCommand.Add, store, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var failure = ExceptionMapper.ToCni(e);
            var undone = await ReleaseAsync(context, store).ConfigureAwait(false);
            throw new CniException(failure.Code, failure.Message, Join(failure.Details, undone), failure) { RawError = failure.RawError };
        }

        try
        {
            using var document = JsonDocument.Parse(output);
            var result = ResultReader.Read(document.RootElement, "IPAM result");
            var addresses = result.Ips.Select(ip => ip.Address.Address).ToList();
            if (addresses.Count == 0)
                throw new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} returned no IP addresses");
            if (addresses.Count(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) > 1
                || addresses.Count(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) > 1)
                throw new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} returned more than one address of a family", string.Join(", ", addresses));
            return addresses;
        }
        catch (Exception e)
        {
            var failure = e is JsonException ? new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} printed a result that is not JSON", e.Message)
                : ExceptionMapper.ToCni(e);
            if (failure.Code == CniErrorCode.DecodeFailure)
                failure = new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} printed an unreadable result", failure.Message);
            var undone = await ReleaseAsync(context, store).ConfigureAwait(false);
            throw new CniException(failure.Code, failure.Message, Join(failure.Details, undone));
        }
    }

    /// <summary>Undoes ADD newest first; returns what could not be undone, for the error's details.</summary>
    /// <param name="writing">The endpoint write was attempted: a timeout may have hidden that it committed.</param>
    private static async Task<string?> RollBackAsync(PluginContext context, IDatastore store, ResourceClient resources, RtNetlinkClient host, WorkloadIdentity identity,
        WorkloadEndpoint? written, bool writing, bool removeVeth)
    {
        var problems = new List<string>();
        if (written is not null || writing)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var version = written?.Metadata.ResourceVersion;
                if (written is null)
                {
                    // Only an endpoint this attachment wrote is ours to remove, not a previous sandbox's.
                    var stored = await resources.GetAsync<WorkloadEndpoint>(identity.EndpointName, identity.Namespace, deadline.Token).ConfigureAwait(false);
                    version = stored?.Spec.ContainerId == identity.ContainerId ? stored.Metadata.ResourceVersion : null;
                }
                if (version is not null)
                    await EndpointStore.DeleteAsync(resources, identity.EndpointName, identity.Namespace, version, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                problems.Add($"rollback could not delete WorkloadEndpoint {identity.EndpointName}: {e.Message}");
            }
        }
        if (removeVeth)
        {
            try
            {
                VethPlumbing.RemoveHostSide(host, identity.HostInterface);
            }
            catch (Exception e)
            {
                problems.Add($"rollback could not delete {identity.HostInterface}: {e.Message}");
            }
        }
        if (await ReleaseAsync(context, store).ConfigureAwait(false) is { } released)
            problems.Add(released);
        context.Log(problems.Count == 0 ? "rolled back" : "rollback incomplete: " + string.Join("; ", problems));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>IPAM DEL; returns why it failed, or null.</summary>
    private static async Task<string?> ReleaseAsync(PluginContext context, IDatastore store)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await IpamRunner.RunAsync(context, CniCommand.Del, store, deadline.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return $"rollback could not release the address: {ExceptionMapper.ToCni(e).Message}";
        }
    }

    private static string? Join(string? details, string? more) =>
        more is null ? details : details is null ? more : details + "; " + more;
}
