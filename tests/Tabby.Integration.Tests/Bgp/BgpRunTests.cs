using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tabby.Cli.Bgp;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>`tabby bgp run` as a process next to BIRD: what `tabby bgp status` and the metrics say about the peer.</summary>
public sealed class BgpRunTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("bgpr");

    [Fact]
    public async Task Status_and_metrics_describe_the_peer()
    {
        var segment = _lab.BuildSegment(2);
        var (tabbyHost, birdHost) = (segment.Members[0], segment.Members[1]);
        var ours = IpPrefix.Parse("10.220.0.0/24");
        var theirs = IpPrefix.Parse("10.221.0.0/24");
        var tabby = _lab.Keep(TabbyDaemon.Start(tabbyHost.Namespace, new BgpRouterSpec(tabbyHost.Address, 65000, tabbyHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(birdHost.Address, 65001)],
            Originate = [ours],
            MetricsPort = 9179,
        }, _lab.WorkPath("tabby")));
        var bird = _lab.StartDaemon("bird", birdHost, new BgpRouterSpec(birdHost.Address, 65001, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabbyHost.Address, 65000)],
            Originate = [theirs],
        });
        await bird.WaitForPrefixesAsync([ours]);
        await tabby.WaitForPrefixesAsync([theirs]);
        await CommandRunner.WaitUntilAsync(() =>
        {
            var json = tabby.Request("status") ?? "{}";
            return (json.Contains("\"endOfRibReceived\":true", StringComparison.Ordinal), json);
        }, TimeSpan.FromSeconds(30), "BIRD's End-of-RIB");

        using var status = JsonDocument.Parse(tabby.Request("status")!);
        var peer = status.RootElement.GetProperty("peers")[0];
        Assert.Equal("Established", peer.GetProperty("state").GetString());
        Assert.Equal("eBGP", peer.GetProperty("type").GetString());
        Assert.True(peer.GetProperty("messagesIn").GetInt64() >= 3);  // OPEN, KEEPALIVE, UPDATE at least
        Assert.True(peer.GetProperty("messagesOut").GetInt64() >= 3);
        // BIRD also exports its connected route for the segment, so at least ours plus that one.
        var received = peer.GetProperty("prefixesReceived").GetInt64();
        Assert.True(received >= 2, $"{received} prefixes received");
        Assert.Equal(1, peer.GetProperty("prefixesAdvertised").GetInt64());
        var v4 = peer.GetProperty("families")[0];
        Assert.Equal("ipv4-unicast", v4.GetProperty("family").GetString());
        Assert.Equal("None", v4.GetProperty("gracefulRestart").GetString());
        Assert.NotEqual("no", v4.GetProperty("peerGracefulRestart").GetString()); // BIRD is configured with graceful restart on
        Assert.True(v4.GetProperty("endOfRibSent").GetBoolean());

        var metrics = tabby.Request("metrics")!;
        Assert.Contains($"tabby_bgp_session_up{{peer=\"{birdHost.Address}\",remote_as=\"65001\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"tabby_bgp_prefixes_received{{peer=\"{birdHost.Address}\",family=\"ipv4\"}} {received}", metrics, StringComparison.Ordinal);
        Assert.Contains($"tabby_bgp_prefixes_advertised{{peer=\"{birdHost.Address}\",family=\"ipv4\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"tabby_bgp_loc_rib_prefixes {status.RootElement.GetProperty("bestPaths").GetInt32()}", metrics, StringComparison.Ordinal);

        // The same over HTTP, from inside the lab's namespace.
        var http = await HttpGetAsync(tabbyHost.Namespace, new IPEndPoint(tabbyHost.Address, 9179), "/metrics");
        Assert.Contains("200 OK", http, StringComparison.Ordinal);
        Assert.Contains("tabby_bgp_session_state", http, StringComparison.Ordinal);

        // And the table `tabby bgp status` prints.
        var command = TabbyCommand.Argv();
        var (code, table) = CommandRunner.Run(command[0], [.. command[1..], "bgp", "status", "--control", tabby.ControlPath]);
        Assert.Equal(0, code);
        Assert.True(table.Contains(birdHost.Address.ToString(), StringComparison.Ordinal), table);
        Assert.Contains("Established", table, StringComparison.Ordinal);
        Assert.Contains($"{received}/1", table, StringComparison.Ordinal); // prefixes in/out
    }

    [Fact]
    public async Task Import_and_export_policies_from_the_file_apply()
    {
        var segment = _lab.BuildSegment(2);
        var (tabbyHost, birdHost) = (segment.Members[0], segment.Members[1]);
        var accepted = IpPrefix.Parse("10.222.0.0/24");
        var refused = IpPrefix.Parse("10.223.0.0/24");
        var exported = IpPrefix.Parse("10.224.0.0/24");
        var held = IpPrefix.Parse("10.225.0.0/24");
        var config = _lab.WorkPath("policy.yaml");
        await File.WriteAllTextAsync(config, $"""
            routerId: {tabbyHost.Address}
            as: 65000
            listen: {tabbyHost.Address}:179
            peers:
              - address: {birdHost.Address}
                as: 65001
                connectRetry: 0.5
                import: from-bird
                export: to-bird
            policies:
              from-bird:
                terms:
                  - match: {"{"} prefixes: ["{accepted}"] {"}"}
                    action: accept
                    set: {"{"} localPref: 250 {"}"}
              to-bird:
                default: accept
                terms:
                  - match: {"{"} prefixes: ["{held}"] {"}"}
                    action: reject
            originate: [{exported}, {held}]
            """);
        var process = _lab.Keep(DaemonProcess.Start(tabbyHost.Namespace, _lab.WorkPath("policy.log"),
            [.. TabbyCommand.Argv(), "bgp", "run", "--config", config, "--control", _lab.WorkPath("policy.sock")]));
        var bird = (BirdDaemon)_lab.StartDaemon("bird", birdHost, new BgpRouterSpec(birdHost.Address, 65001, birdHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabbyHost.Address, 65000)],
            Originate = [accepted, refused],
        });

        await bird.WaitForPrefixesAsync([exported]);
        // After BIRD's End-of-RIB everything it sent has been through the import policy: now a missing route was refused.
        await CommandRunner.WaitUntilAsync(() =>
        {
            var json = BgpControl.RequestAsync(_lab.WorkPath("policy.sock"), "status").GetAwaiter().GetResult();
            return (json.Contains("\"endOfRibReceived\":true", StringComparison.Ordinal), json);
        }, TimeSpan.FromSeconds(30), "BIRD's End-of-RIB");
        var routes = await WaitRoutesAsync(_lab.WorkPath("policy.sock"), r => r.Count >= 3);
        Assert.Contains(accepted.ToString(), routes);
        Assert.DoesNotContain(refused.ToString(), routes);
        using (var answer = JsonDocument.Parse(await BgpControl.RequestAsync(_lab.WorkPath("policy.sock"), "routes")))
        {
            var route = answer.RootElement.EnumerateArray().Single(r => r.GetProperty("prefix").GetString() == accepted.ToString());
            Assert.Equal(250u, route.GetProperty("localPref").GetUInt32()); // the import term's set
        }
        Assert.DoesNotContain(held, bird.Prefixes());
        Assert.False(process.HasExited, process.Tail());
    }

    [Fact]
    public void The_file_loader_builds_policies_and_names_every_mistake()
    {
        var settings = BgpRunConfigLoader.LoadText("t.yaml", """
            routerId: 10.0.0.1
            as: 65000
            metrics: 127.0.0.1:9179
            stalePathTime: 30
            peers:
              - address: 10.0.0.2
                as: 65001
                import: in
            policies:
              in:
                default: accept
                terms:
                  - name: long
                    match: { prefixes: ["10.0.0.0/8 ge 25 le 32"], communities: ["65000:1", "no-export"], family: ipv4 }
                    action: reject
                  - match: { largeCommunities: ["65000:1:2"] }
                    set: { med: 5, addCommunities: ["65000:9"], prepend: 2, nextHop: self }
            """);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9179), settings.Metrics);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Speaker.StalePathTime);
        Assert.Equal(TimeSpan.FromMicroseconds(100), settings.SchedulerSlice); // the default
        var policy = Assert.IsType<Tabby.Bgp.Policy.RoutePolicy>(settings.Peers[0].Import);
        Assert.Equal(Tabby.Bgp.Policy.PolicyAction.Accept, policy.DefaultAction);
        Assert.Equal(["long", "term1"], policy.Terms.Select(t => t.Name));
        Assert.Equal(25, policy.Terms[0].Match.Prefixes[0].MinLength);
        Assert.Equal(2, policy.Terms[1].Actions!.PrependCount);

        static string Error(string yaml) => Assert.Throws<FormatException>(() => BgpRunConfigLoader.LoadText("t.yaml", "routerId: 10.0.0.1\nas: 65000\n" + yaml)).Message;
        Assert.Equal("t.yaml: peers[0].export: no policy named 'out' under policies (there are none)",
            Error("peers: [{ address: 10.0.0.2, as: 65001, export: out }]"));
        Assert.Equal("t.yaml: policies.p.terms[0].match.prefixes[0]: '10.0.0.0/8 ge 40': expected ge/le and a length from 8 to 32",
            Error("policies: { p: { terms: [{ match: { prefixes: ['10.0.0.0/8 ge 40'] } }] } }"));
        Assert.Equal("t.yaml: policies.p.terms[0].action: 'maybe' is not accept or reject",
            Error("policies: { p: { terms: [{ action: maybe }] } }"));
        Assert.Equal("t.yaml: peers[1].address: 10.0.0.2 is already a peer",
            Error("peers: [{ address: 10.0.0.2, as: 65001 }, { address: 10.0.0.2, as: 65002 }]"));
        Assert.Equal("t.yaml: metrics: '127.0.0.1' is not address:port", Error("metrics: 127.0.0.1"));
        Assert.StartsWith("t.yaml: policies.p.terms[0].match.communities[0]:", Error("policies: { p: { terms: [{ match: { communities: ['x:y'] } }] } }"), StringComparison.Ordinal);

        // What the file reader itself refuses: each names the line and the field.
        Assert.Equal("t.yaml:3: peers[0]: 'holdtime' is not a field here",
            Error("peers: [{ address: 10.0.0.2, as: 65001, holdtime: 9 }]"));
        Assert.Equal("t.yaml:5: peers[0].as: 'sixty' is not a whole number from 0 to 4294967295",
            Error("peers:\n  - address: 10.0.0.2\n    as: sixty"));
        Assert.Equal("t.yaml:3: peers[0].passive: 'maybe' is not true or false",
            Error("peers: [{ address: 10.0.0.2, as: 65001, passive: maybe }]"));
        Assert.Equal("t.yaml:3: stalePathTime: 'soon' is not a number of seconds", Error("stalePathTime: soon"));
        Assert.Equal("t.yaml: schedulerSliceMicroseconds: 50 is not 0 (the kernel's default) or 100 to 100000", Error("schedulerSliceMicroseconds: 50"));
        Assert.Equal(TimeSpan.Zero, BgpRunConfigLoader.LoadText("t.yaml", "routerId: 10.0.0.1\nas: 65000\nschedulerSliceMicroseconds: 0\n").SchedulerSlice);
        Assert.Equal(TimeSpan.FromMilliseconds(2), BgpRunConfigLoader.LoadText("t.yaml", "routerId: 10.0.0.1\nas: 65000\nschedulerSliceMicroseconds: 2000\n").SchedulerSlice);
        Assert.Equal("t.yaml:3: originate: expected a list", Error("originate: 10.0.0.0/8"));
        Assert.Equal("t.yaml:3: peers[0].families[0]: expected a single value, not a list or mapping",
            Error("peers: [{ address: 10.0.0.2, as: 65001, families: [[ipv4]] }]"));
        var defaults = BgpRunConfigLoader.LoadText("t.yaml", "routerId: 10.0.0.1\nas: 65000\nclusterId: ~\npeers:\n  - { address: 10.0.0.2, as: 65001, ttl: 1, passive: yes }\n");
        Assert.Null(defaults.Speaker.ClusterId);
        Assert.Equal((179, 90, 1, true, true), (defaults.Peers[0].Port, (int)defaults.Peers[0].HoldTime, defaults.Peers[0].Ttl, defaults.Peers[0].Passive, defaults.Peers[0].GracefulRestart));
    }

    private static async Task<string> WaitRoutesAsync(string control, Func<List<string>, bool> done)
    {
        var routes = new List<string>();
        await CommandRunner.WaitUntilAsync(() =>
        {
            try
            {
                var json = BgpControl.RequestAsync(control, "routes").GetAwaiter().GetResult();
                using var document = JsonDocument.Parse(json);
                routes = document.RootElement.EnumerateArray().Select(r => r.GetProperty("prefix").GetString()!).ToList();
            }
            catch (SocketException)
            {
                // Not up yet.
            }
            return (done(routes), string.Join(", ", routes));
        }, TimeSpan.FromSeconds(30), "tabby's routes");
        return string.Join(" ", routes);
    }

    private static async Task<string> HttpGetAsync(Tabby.Linux.Netns.NetworkNamespace ns, IPEndPoint to, string path)
    {
        using var socket = ns.Run(() => new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(to, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {to}\r\n\r\n"), SocketFlags.None, timeout.Token);
        var response = new StringBuilder();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            response.Append(Encoding.UTF8.GetString(buffer, 0, n));
        return response.ToString();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
