using System.Diagnostics;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;

namespace Tabby.Lab.Tests.Cluster;

/// <summary>The network keeps forwarding while agents die and come back.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task An_agent_killed_and_restarted_loses_no_packet_between_hosts()
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = "kill" });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var (from, to) = (lab.Workloads.Single(w => w.Host.Name == "host0"), lab.Workloads.Single(w => w.Host.Name == "host1"));
        var host0 = lab.Host("host0");

        using var stop = new CancellationTokenSource();
        var (sent, lost) = (0, 0);
        var pinging = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                sent++;
                if (!IcmpProbe.Once(from.Namespace, to.Address, TimeSpan.FromMilliseconds(500)))
                    lost++;
                // The probe interval: a ping every 20 ms, as a continuous `ping -i 0.02` would send.
                await Task.Delay(20);
            }
        });

        host0.Agent.Kill();
        await lab.RestartAgentAsync(host0);
        await LabAssert.WaitAsync(async () => (await host0.Agent.StatusAsync()).Peers is [{ State: "up" }], TimeSpan.FromSeconds(30), "the session back", lab);
        // Keep pinging through the restarted agent's first full reconciliation.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
            await Task.Delay(100);
        await stop.CancelAsync();
        await pinging;

        Assert.True(sent > 50, $"only {sent} pings were sent");
        Assert.Equal(0, lost);
        Assert.Single(LabAssert.Learned(host0));
    }
}
