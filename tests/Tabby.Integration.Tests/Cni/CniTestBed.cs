using System.Net;
using System.Text.Json.Nodes;
using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Client;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Cni;

/// <summary>One test's world for the plugins: a host namespace they run in, containers' namespaces, a datastore with pools, and a runtime-style client.</summary>
/// <remarks>Network and node names are unique per bed, so beds can share one etcd without seeing each other's endpoints or handles.</remarks>
public sealed class CniTestBed : IAsyncDisposable
{
    public const string Pool4 = "10.96.0.0/16";
    public const string Pool6 = "fd00:96::/48";

    private readonly NamespaceSet _namespaces;
    private readonly string _directory;
    private LoopbackForwarder? _etcdForwarder;

    private CniTestBed(string datastore, string? directory)
    {
        _namespaces = new NamespaceSet("cni");
        var tag = _namespaces.Prefix.TrimEnd('-')[(NamespaceSet.ProjectPrefix.Length)..];
        _directory = directory ?? Path.Combine(Path.GetTempPath(), "tabby-cni-" + tag);
        System.IO.Directory.CreateDirectory(_directory);
        Datastore = datastore.Replace("{dir}", _directory, StringComparison.Ordinal);
        Network = "net-" + tag.Replace("-", "", StringComparison.Ordinal);
        Node = "node-" + tag.Replace("-", "", StringComparison.Ordinal);
        HostNamespace = _namespaces.Create("host");
        using (var host = RtNetlinkClient.Open(HostNamespace))
            host.Links.SetUp(host.Links.GetRequired("lo").Index, true);
        // The bed's own directory is on CNI_PATH too, for stand-in IPAM plugins a test writes there.
        Runtime = CniRuntime.ForTabby(HostNamespace.Name!, "/usr/lib/cni", _directory);
        // The test's etcd listens on this process's 127.0.0.1; the plugins, in the host namespace, reach it at the same URL.
        if (Datastore.StartsWith("etcd:", StringComparison.Ordinal) && new Uri(Datastore["etcd:".Length..].Split(',')[0]) is { Host: "127.0.0.1" } etcd)
            _etcdForwarder = LoopbackForwarder.Start(HostNamespace, new IPEndPoint(IPAddress.Loopback, etcd.Port));
    }

    public string Datastore { get; }
    public string Network { get; }
    public string Node { get; }
    public NetworkNamespace HostNamespace { get; }
    public CniRuntime Runtime { get; }
    public string Directory => _directory;

    /// <summary>A bed on <paramref name="datastore"/> ("{dir}" stands for the bed's own directory), with the IPv4 and IPv6 pools in place.</summary>
    public static async Task<CniTestBed> CreateAsync(string datastore = "sqlite:{dir}/tabby.db", bool seedPools = true)
    {
        var bed = new CniTestBed(datastore, null);
        try
        {
            if (seedPools)
                await bed.SeedPoolsAsync();
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the pools unless they exist (a shared etcd already has them).</summary>
    public async Task SeedPoolsAsync()
    {
        await using var store = DatastoreConnectionString.Open(Datastore);
        var resources = new ResourceClient(store);
        foreach (var (name, cidr, size) in new[] { ("cni-test-v4", Pool4, 26), ("cni-test-v6", Pool6, 122) })
        {
            if (await resources.GetAsync<IPPool>(name) is not null)
                continue;
            var pool = new IPPool();
            pool.Metadata.Name = name;
            pool.Spec.Cidr = cidr;
            pool.Spec.BlockSize = size;
            try
            {
                await resources.CreateAsync(pool);
            }
            catch (DatastoreConflictException)
            {
            }
        }
    }

    /// <summary>The network configuration: tabby with tabby-ipam on this bed's datastore, network and node.</summary>
    public JsonObject Conf(string version = "1.0.0") => new()
    {
        ["cniVersion"] = version,
        ["name"] = Network,
        ["type"] = "tabby",
        ["nodename"] = Node,
        ["datastore"] = Datastore,
        ["ipam"] = new JsonObject { ["type"] = "tabby-ipam" },
    };

    /// <summary>A new container namespace; returns its path (what CNI_NETNS names).</summary>
    public string Container(string name) => _namespaces.Create(name).Path;

    public Task<CniOutcome> RunAsync(string command, JsonObject conf, string? containerId = null, string? netns = null, string ifName = "eth0",
        string? args = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        Runtime.RunAsync(new CniInvocation(command, conf.ToJsonString())
        {
            ContainerId = containerId,
            Netns = netns,
            IfName = command is "GC" or "STATUS" ? null : ifName,
            Args = args,
            // A failure's stack trace goes to stderr, which a failing assertion shows.
            Environment = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["TABBY_CNI_DEBUG"] = "1" },
        });

    /// <summary>Runs and asserts success, showing everything the plugin printed when it failed.</summary>
    public async Task<CniOutcome> ExpectSuccessAsync(string command, JsonObject conf, string? containerId = null, string? netns = null, string ifName = "eth0", string? args = null)
    {
        var outcome = await RunAsync(command, conf, containerId, netns, ifName, args);
        Assert.True(outcome.Succeeded, $"{command} failed: {outcome}");
        return outcome;
    }

    public async Task<CniOutcome> ExpectErrorAsync(int code, string command, JsonObject conf, string? containerId = null, string? netns = null, string ifName = "eth0",
        string? args = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var outcome = await RunAsync(command, conf, containerId, netns, ifName, args, environment);
        Assert.True(!outcome.Succeeded && outcome.ErrorCode == code, $"{command}: expected CNI error {code}, got {outcome}");
        return outcome;
    }

    public RtNetlinkClient HostNetlink() => RtNetlinkClient.Open(HostNamespace);

    public static RtNetlinkClient ContainerNetlink(string netns)
    {
        using var ns = NetworkNamespace.OpenPath(netns);
        return RtNetlinkClient.Open(ns);
    }

    /// <summary>Writes an executable script into the bed's directory (on CNI_PATH), e.g. a misbehaving IPAM plugin.</summary>
    public void WritePlugin(string name, string script)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public IDatastore OpenStore() => DatastoreConnectionString.Open(Datastore);

    public async Task<WorkloadEndpoint?> EndpointAsync(string name, string @namespace = "default")
    {
        await using var store = OpenStore();
        return await new ResourceClient(store).GetAsync<WorkloadEndpoint>(name, @namespace);
    }

    public async Task<IReadOnlyList<string>> AddressesOfAsync(string containerId)
    {
        await using var store = OpenStore();
        return [.. (await new IpamClient(store).IpsByHandleAsync($"{Network}.{containerId}")).Select(p => p.ToString())];
    }

    public string EndpointName(string containerId, string ifName = "eth0") =>
        $"{Node.Replace("-", "--", StringComparison.Ordinal)}-cni-{containerId.Replace("-", "--", StringComparison.Ordinal)}-{ifName}";

    public async ValueTask DisposeAsync()
    {
        if (_etcdForwarder is not null)
            await _etcdForwarder.DisposeAsync();
        _namespaces.Dispose();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a plugin that was killed: the temp directory keeps it, the test's verdict stands.
        }
    }
}
