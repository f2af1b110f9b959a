using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Lab.Tests.Cluster;

namespace Tabby.Lab.Tests.Failure;

/// <summary>The network keeps forwarding while an agent dies and comes back.</summary>
public sealed class AgentKillTests
{
    [Theory]
    [InlineData("host0", false)] // the sender's agent, SIGKILL
    [InlineData("host1", false)] // the receiver's agent, SIGKILL
    [InlineData("host1", true)]  // the receiver's agent stopped with SIGTERM, as for an upgrade: no Cease, so its routes stay
    public async Task An_agent_killed_or_stopped_and_restarted_loses_no_packet_between_hosts(string killed, bool stop)
    {
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Purpose = (stop ? "stop" : "kill") + killed[^1] });
        await LabAssert.AllReachAsync(lab, TimeSpan.FromSeconds(30));
        var (from, to) = (lab.Workloads.Single(w => w.Host.Name == "host0"), lab.Workloads.Single(w => w.Host.Name == "host1"));
        var victim = lab.Host(killed);

        // A ping every 20 ms, as a continuous `ping -i 0.02` would send.
        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, TimeSpan.FromMilliseconds(20));
        var logOffset = victim.Agent.LogLength;
        if (stop)
            await victim.Agent.StopAsync();
        else
            victim.Agent.Kill();
        await lab.RestartAgentAsync(victim);
        await LabAssert.WaitAsync(async () => (await victim.Agent.StatusAsync()).Peers is [{ State: "up" }], TimeSpan.FromSeconds(30), "the session back", lab);

        // The new agent keeps the routes its predecessor learned until BGP has re-learned the table, then sweeps what
        // nobody announces: the moment a wrong sweep would cost packets. Ping through it, and 50 echoes past it.
        Assert.Contains("keeping ", victim.Agent.LogSince(logOffset), StringComparison.Ordinal);
        await LabAssert.WaitAsync(() => Task.FromResult(victim.Agent.LogSince(logOffset).Contains("re-learned the table", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the restarted agent to hand the kept routes back to BGP", lab);
        var sweptAt = ping.Sent;
        await LabAssert.WaitAsync(() => Task.FromResult(ping.Sent >= sweptAt + 50), TimeSpan.FromSeconds(30), "50 more echoes after the sweep", lab);
        var (sent, lost) = await ping.StopAsync();

        Assert.True(sent > 50, $"only {sent} pings were sent");
        Assert.Equal(0, lost);
        Assert.Single(LabAssert.Learned(victim));
    }
}
