using System.Globalization;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;
using Tabby.Ipam.Model;

namespace Tabby.Ipam.Host;

/// <summary>One host doing what the CNI plugin does per container: ADD allocates then writes the endpoint; DEL deletes the endpoint then releases by handle.</summary>
/// <remarks>
/// Each ADD and DEL it completes is one line on stdout (<c>alloc HANDLE IP SEQUENCE BORROWED</c>, <c>release HANDLE</c>);
/// a line is written only after every datastore write of that step succeeded, so the lines are what the host
/// may believe it holds. Steps are retried through outages, and a retried ADD first looks whether the
/// earlier attempt took effect, so a lost reply never makes a second allocation.
/// </remarks>
internal sealed class CniHost(HostOptions options, IDatastore datastore)
{
    public const string Namespace = "ipam-test";

    private readonly IpamClient _ipam = new(datastore);
    private readonly ResourceClient _resources = new(datastore);
    private readonly Random _random = new(options.Seed);
    private readonly List<(string Handle, string Pod)> _held = [];

    public async Task RunAsync()
    {
        for (var i = 0; i < options.Allocations; i++)
        {
            var pod = $"{options.Host}-{i.ToString("D4", CultureInfo.InvariantCulture)}";
            var handle = "net." + pod;
            var (ip, sequence, borrowed) = await AllocateAsync(handle, pod);
            if (options.PauseAfter == i + 1)
            {
                // Between allocating and writing the endpoint: where a crash leaves a leaked address. The test kills us here.
                Console.WriteLine($"hold {handle} {ip}");
                await Console.In.ReadLineAsync();
            }

            await WriteEndpointAsync(pod, ip);
            _held.Add((handle, pod));
            Console.WriteLine($"alloc {handle} {ip} {sequence.ToString(CultureInfo.InvariantCulture)} {(borrowed ? 1 : 0)}");
            if (i % options.KeepEvery != 0)
            {
                var index = _random.Next(_held.Count);
                var (oldHandle, oldPod) = _held[index];
                _held.RemoveAt(index);
                await ReleaseAsync(oldHandle, oldPod);
                Console.WriteLine($"release {oldHandle}");
            }
        }

        Console.WriteLine($"done {_held.Count.ToString(CultureInfo.InvariantCulture)}");
    }

    private Task<(string Ip, ulong Sequence, bool Borrowed)> AllocateAsync(string handle, string pod) =>
        Retry.RunAsync($"allocating {handle}", async attempt =>
        {
            if (attempt > 0 && await AdoptAsync(handle) is { } adopted)
                return adopted;
            var attrs = new Dictionary<string, string>
            {
                ["node"] = options.Host,
                ["namespace"] = Namespace,
                ["pod"] = pod,
                ["timestamp"] = IpamTime.Format(DateTimeOffset.UtcNow),
            };
            var got = (await _ipam.AutoAssignAsync(new AutoAssignRequest { Host = options.Host, Num4 = 1, HandleId = handle, Attributes = attrs })).IPv4[0];
            return (got.Address.Address.ToString(), got.SequenceNumber, got.Borrowed);
        });

    /// <summary>What an earlier attempt whose reply was lost allocated to the handle (keeping one address, releasing extras), or null.</summary>
    private async Task<(string, ulong, bool)?> AdoptAsync(string handle)
    {
        var held = await _ipam.IpsByHandleAsync(handle);
        if (held.Count == 0)
            return null;
        if (held.Count > 1)
        {
            await Console.Error.WriteLineAsync($"handle {handle} holds {held.Count} addresses after a retry; keeping {held[0].Address}");
            await _ipam.ReleaseIpsAsync([.. held.Skip(1).Select(a => new ReleaseRequest(a.Address.ToString(), handle))]);
        }

        var info = await _ipam.GetAllocationAsync(held[0].Address.ToString()) ?? throw new InvalidOperationException($"{held[0]} vanished");
        await Console.Error.WriteLineAsync($"adopted {held[0].Address} for {handle}: an earlier attempt allocated it");
        return (held[0].Address.ToString(), info.SequenceNumber, info.BlockAffinity != "host:" + options.Host);
    }

    private Task WriteEndpointAsync(string pod, string ip) =>
        Retry.RunAsync($"writing the endpoint of {pod}", async _ =>
        {
            var endpoint = new WorkloadEndpoint
            {
                Metadata = { Name = $"{options.Host}-k8s-{pod}-eth0", Namespace = Namespace },
                Spec = new WorkloadEndpointSpec
                {
                    Orchestrator = "k8s", Node = options.Host, Pod = pod, Endpoint = "eth0", ContainerId = pod,
                    InterfaceName = "cali" + pod.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture), IpNetworks = [ip + "/32"],
                },
            };
            try
            {
                await _resources.CreateAsync(endpoint);
            }
            catch (DatastoreConflictException)
            {
                // An earlier attempt's write went through and only its reply was lost.
                var stored = await _resources.GetAsync<WorkloadEndpoint>(endpoint.Metadata.Name!, Namespace);
                if (stored?.Spec.IpNetworks is not [var network] || network != ip + "/32")
                    throw;
            }

            return 0;
        });

    private async Task ReleaseAsync(string handle, string pod)
    {
        var key = new ResourceKey(KindRegistry.For<WorkloadEndpoint>(), Namespace, $"{options.Host}-k8s-{pod}-eth0");
        await Retry.RunAsync($"deleting the endpoint of {pod}", _ => _resources.DeleteAsync(key));
        await Retry.RunAsync($"releasing {handle}", _ => _ipam.ReleaseByHandleAsync(handle));
    }
}
