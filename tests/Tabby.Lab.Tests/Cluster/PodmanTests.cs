using System.Text.Json.Nodes;
using Tabby.Api.Resources;
using Tabby.Datastore.Resources;
using Tabby.Lab.Cluster;
using Tabby.Lab.Podman;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>podman as the runtime on two lab hosts: containers it starts through the plugin reach each other across hosts.</summary>
public sealed class PodmanTests
{
    [Fact]
    public async Task Containers_started_by_podman_on_two_hosts_reach_each_other()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 0, Purpose = "pod" });
        var runtimes = new List<PodmanRuntime>();
        try
        {
            foreach (var host in lab.Hosts)
            {
                var podman = PodmanRuntime.Create(host.Namespace, Path.Combine(lab.WorkDirectory, "podman-" + host.Name), lab.Cni.Directory);
                runtimes.Add(podman);
                var plugin = JsonNode.Parse(CniPlugin.NetworkConfig("lab", lab.Datastore, host.Name))!.AsObject();
                plugin.Remove("cniVersion");
                plugin.Remove("name");
                podman.AddNetwork("lab", new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "lab", ["plugins"] = new JsonArray(plugin) }.ToJsonString());
                podman.ImportBusybox();
                podman.RunContainer("c", "lab");
            }

            await using var store = lab.OpenDatastore();
            var endpoints = (await new ResourceClient(store).ListAsync<WorkloadEndpoint>()).Items;
            Assert.Equal(2, endpoints.Count);
            var addressOn = lab.Hosts.ToDictionary(h => h.Name, h => endpoints.Single(e => e.Spec.Node == h.Name).Spec.IpNetworks![0].Split('/')[0]);

            // busybox ping inside the container, through podman exec: the container's own view of the network.
            await LabAssert.WaitAsync(() => Task.FromResult(runtimes[0].TryPodman("exec", "c", "ping", "-c", "1", "-W", "1", addressOn["host1"]).ExitCode == 0),
                TimeSpan.FromSeconds(30), "host0's container to reach host1's", lab);
            Assert.Equal(0, runtimes[1].TryPodman("exec", "c", "ping", "-c", "1", "-W", "2", addressOn["host0"]).ExitCode);

            runtimes[0].Remove("c");
            Assert.Single((await new ResourceClient(store).ListAsync<WorkloadEndpoint>()).Items);
        }
        finally
        {
            foreach (var podman in runtimes)
                podman.Dispose();
        }
    }
}
