using System.Diagnostics;
using System.Text.Json.Nodes;
using Tabby.Lab.Cluster;
using Tabby.Lab.Probes;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Bench.Failover;

/// <summary>`./run bench failover`: a two-host lab on etcd with a workload on each host; a continuous 10 ms ping from host0's
/// workload to host1's counts the packets lost while (a) host0's agent (the sender's) is killed with SIGKILL and restarted,
/// (b) host1's is, (c) etcd is killed, left down for 30 s and restarted; and how long a restarted agent takes to be ready.</summary>
/// <remarks>
/// The ping is Tabby.Lab's <see cref="ContinuousPing"/> (the one the failure tests use): one echo every 10 ms, each
/// waited for up to <see cref="s_echoTimeout"/> before it counts as lost and the next is sent, so while forwarding is
/// broken it counts one loss per 100 ms rather than per 10 ms, a lower bound of what `ping -i 0.01` would count. The
/// target is zero either way.
/// restart_to_ready_ms: from just before the new agent process is started until its status says ready; the status's
/// Ready is the same function its /readiness serves. It is polled every 20 ms, and the larger of the two restarts is
/// reported.
/// Each scenario has a ping of its own that runs from before the fault until the network has fully recovered: the
/// restarted agent ready, its BGP sessions up again, the routes a previous agent left handed back to BGP (when the agent
/// says it kept any), or after the outage every agent in sync and ready again; then a few seconds more for the first
/// reconciliation after that. Lost echoes are printed with when they were sent, relative to the fault.
/// </remarks>
internal static class FailoverBench
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_echoTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>How long to keep pinging after recovery: the window in which a late sweep or resync would show.</summary>
    private static readonly TimeSpan s_tail = TimeSpan.FromSeconds(3);

    public static async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {line}");
        await using var lab = await LabCluster.StartAsync(new ClusterSpec { Hosts = 2, WorkloadsPerHost = 1, Datastore = ClusterDatastore.Etcd, Purpose = "bfail" },
            Log, cancellationToken);
        var (sender, receiver) = (lab.Host("host0"), lab.Host("host1"));
        var from = lab.Workloads.Single(w => w.Host == sender);
        var to = lab.Workloads.Single(w => w.Host == receiver);
        await WaitUntilAsync(() => Task.FromResult(IcmpProbe.Once(from.Namespace, to.Address, TimeSpan.FromMilliseconds(200))
            && IcmpProbe.Once(to.Namespace, from.Address, TimeSpan.FromMilliseconds(200))), TimeSpan.FromSeconds(60), "the two workloads to reach each other", lab, cancellationToken);
        Log($"{from.Name} ({from.Address}) reaches {to.Name} ({to.Address}); pinging every {s_interval.TotalMilliseconds:0} ms through each fault");

        var (senderLost, senderReady) = await AgentKillAsync(lab, sender, from, to, Log, cancellationToken);
        var (receiverLost, receiverReady) = await AgentKillAsync(lab, receiver, from, to, Log, cancellationToken);
        var outageLost = await DatastoreOutageAsync(lab, from, to, Log, cancellationToken);

        return new JsonObject
        {
            ["bench"] = "failover",
            ["agent_kill_sender_lost"] = senderLost,
            ["agent_kill_receiver_lost"] = receiverLost,
            ["datastore_outage_lost"] = outageLost,
            // The slower of the two restarts.
            ["restart_to_ready_ms"] = Math.Round(Math.Max(senderReady, receiverReady), 0),
        }.ToJsonString();
    }

    private static async Task<(long Lost, double ReadyMs)> AgentKillAsync(LabCluster lab, ClusterHost host, ClusterWorkload from, ClusterWorkload to,
        Action<string> log, CancellationToken cancellationToken)
    {
        var other = lab.Hosts.Single(h => h != host);
        var learnedBefore = Learned(host);
        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, s_interval, s_echoTimeout);

        var logOffset = host.Agent.LogLength;
        var killedAt = Stopwatch.GetTimestamp();
        var pid = host.Agent.Pid;
        host.Agent.Kill();
        var restartAt = Stopwatch.GetTimestamp();
        await lab.RestartAgentAsync(host);
        var ready = Stopwatch.GetElapsedTime(restartAt);
        log($"{host.Name}: agent (pid {pid}) killed; the new one (pid {host.Agent.Pid}) ready {ready.TotalMilliseconds:0} ms after its start, "
            + $"{Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds:0} ms after the kill");

        await WaitUntilAsync(async () => await SessionsUpAsync(host) && await SessionsUpAsync(other), TimeSpan.FromSeconds(60),
            $"the BGP sessions of {host.Name} to be up again", lab, cancellationToken);
        log($"{host.Name}: BGP sessions up again {Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds:0} ms after the kill");
        // The restarted agent keeps the routes its predecessor learned until BGP has re-learned the table, then sweeps
        // what nobody announces: the moment a wrong sweep would cost packets, so the ping runs past it.
        if (host.Agent.LogSince(logOffset).Contains("keeping ", StringComparison.Ordinal))
        {
            await WaitUntilAsync(() => Task.FromResult(host.Agent.LogSince(logOffset).Contains("re-learned the table", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(150), $"{host.Name}'s agent to hand the routes it kept back to BGP", lab, cancellationToken);
            log($"{host.Name}: kept routes handed back to BGP {Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds:0} ms after the kill");
        }

        await ObserveAsync(s_tail, cancellationToken);
        var (sent, lost) = await ping.StopAsync();
        var learnedAfter = Learned(host);
        log($"{host.Name} killed: {sent} echoes, {lost} lost; learned routes before {learnedBefore}, after {learnedAfter}");
        return (lost, ready.TotalMilliseconds);
    }

    private static async Task<long> DatastoreOutageAsync(LabCluster lab, ClusterWorkload from, ClusterWorkload to, Action<string> log, CancellationToken cancellationToken)
    {
        var etcd = lab.Etcd ?? throw new InvalidOperationException("the failover lab runs on etcd");
        await using var ping = ContinuousPing.Start(from.Namespace, to.Address, s_interval, s_echoTimeout);

        var learnedBefore = lab.Hosts.ToDictionary(h => h, Learned);
        var killedAt = Stopwatch.GetTimestamp();
        await etcd.KillAsync();
        log($"etcd killed; down for {s_outage.TotalSeconds:0} s");
        // The outage itself: watch what the agents say and what stays in the FIB while it lasts.
        var seen = new Dictionary<ClusterHost, string>();
        while (Stopwatch.GetElapsedTime(killedAt) < s_outage)
        {
            foreach (var host in lab.Hosts)
            {
                var state = host.Agent.HasExited ? "exited" : await DescribeAsync(host);
                if (seen.GetValueOrDefault(host) != state)
                    log($"  +{Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.0} s {host.Name}: {state}");
                seen[host] = state;
            }

            await ObserveAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        await etcd.RestartAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var restartedAt = Stopwatch.GetTimestamp();
        log($"etcd restarted after {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.0} s");
        await WaitUntilAsync(async () =>
        {
            foreach (var host in lab.Hosts)
            {
                if (host.Agent.HasExited)
                    throw new InvalidOperationException($"the agent of {host.Name} exited: {host.Agent.Tail(20)}");
                var status = await host.Agent.StatusAsync(cancellationToken);
                if (status is not { Ready: true, SyncState: "InSync" })
                    return false;
            }

            return true;
        }, TimeSpan.FromSeconds(120), "every agent in sync and ready after etcd's restart", lab, cancellationToken);
        log($"every agent in sync and ready {Stopwatch.GetElapsedTime(restartedAt).TotalMilliseconds:0} ms after etcd's restart");

        await ObserveAsync(s_tail, cancellationToken);
        var (sent, lost) = await ping.StopAsync();
        foreach (var host in lab.Hosts)
            log($"{host.Name}: learned routes before the outage {learnedBefore[host]}, after {Learned(host)}");
        log($"etcd outage: {sent} echoes, {lost} lost");
        return lost;
    }

    private static async Task<bool> SessionsUpAsync(ClusterHost host)
    {
        var status = await host.Agent.StatusAsync();
        return status.Peers.Count > 0 && status.Peers.All(p => p.State == "up");
    }

    private static async Task<string> DescribeAsync(ClusterHost host)
    {
        try
        {
            var status = await host.Agent.StatusAsync();
            return $"{status.SyncState}, ready {status.Ready}, {status.LastError ?? "no error"}, BGP {string.Join(' ', status.Peers.Select(p => p.State))}, learned routes in the FIB {Learned(host)}";
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
        {
            return $"no status ({e.Message})";
        }
    }

    /// <summary>The routes on a host that its agent learned over BGP (protocol tabby, via a gateway).</summary>
    private static int Learned(ClusterHost host)
    {
        using var netlink = RtNetlinkClient.Open(host.Underlay.Namespace);
        return netlink.Routes.List(RouteFilter.Tabby).Count(r => r.Gateway is not null);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, LabCluster lab, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n"
                    + string.Join("\n", lab.Hosts.Select(h => $"--- {h.Name}:\n{h.Agent.Tail(12)}")));
            // The poll interval of a condition wait.
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>A measurement window: the ping keeps running while time passes; nothing waits on it for a state.</summary>
    private static Task ObserveAsync(TimeSpan window, CancellationToken cancellationToken) => Task.Delay(window, cancellationToken);
}
