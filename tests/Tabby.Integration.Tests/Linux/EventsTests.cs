using System.Net;
using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Events;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;

namespace Tabby.Integration.Tests.Linux;

public sealed class EventsTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Creating_and_deleting_a_link_raises_link_events()
    {
        using var namespaces = new NamespaceSet("ev");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        using var events = NetlinkEventSubscription.Subscribe(ns);

        var bridge = netlink.Links.CreateBridge("br-ev");
        var added = await NextAsync<LinkEvent>(events, e => e.Link.Name == "br-ev" && !e.Removed);
        netlink.Links.Delete(bridge.Index);
        var removed = await NextAsync<LinkEvent>(events, e => e.Link.Name == "br-ev" && e.Removed);

        Assert.Equal(bridge.Index, added.Link.Index);
        Assert.Equal("bridge", added.Link.Kind);
        Assert.Equal(bridge.Index, removed.Link.Index);
    }

    [Fact]
    public async Task Adding_and_deleting_an_address_raises_address_events()
    {
        using var namespaces = new NamespaceSet("ev");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        using var events = NetlinkEventSubscription.Subscribe(ns, NetlinkEventKinds.Addresses);
        var address = new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24);

        netlink.Addresses.Add(address);
        var added = await NextAsync<AddressEvent>(events, e => e.Address.Address.Equals(address.Address) && !e.Removed);
        netlink.Addresses.Delete(address);
        var removed = await NextAsync<AddressEvent>(events, e => e.Address.Address.Equals(address.Address) && e.Removed);

        Assert.Equal((v0.Index, 24), (added.Address.InterfaceIndex, added.Address.PrefixLength));
        Assert.Equal(v0.Index, removed.Address.InterfaceIndex);
    }

    [Fact]
    public async Task Adding_and_deleting_a_route_raises_route_events()
    {
        using var namespaces = new NamespaceSet("ev");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        using var events = NetlinkEventSubscription.Subscribe(ns, NetlinkEventKinds.Routes);
        var route = Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index);

        netlink.Routes.Add(route);
        var added = await NextAsync<RouteEvent>(events, e => e.Route.Destination == route.Destination && !e.Removed);
        netlink.Routes.Delete(route);
        var removed = await NextAsync<RouteEvent>(events, e => e.Route.Destination == route.Destination && e.Removed);

        Assert.Equal(RouteProtocol.Tabby, added.Route.Protocol);
        Assert.Equal(RouteScope.Link, added.Route.Scope);
        Assert.Equal(v0.Index, added.Route.InterfaceIndex);
        Assert.Equal(RouteProtocol.Tabby, removed.Route.Protocol);
    }

    [Fact]
    public async Task A_burst_of_batched_route_changes_arrives_in_full_or_is_flagged_as_lost()
    {
        using var namespaces = new NamespaceSet("ev");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        using var events = NetlinkEventSubscription.Subscribe(ns, NetlinkEventKinds.Routes);
        var routes = Enumerable.Range(0, 3000)
            .Select(i => Route.ToWorkload(IpPrefix.V4((10u << 24) | (100u << 16) | (uint)i, 32), v0.Index))
            .ToList();

        netlink.Routes.AddMany(routes);
        var added = new HashSet<IpPrefix>();
        var lost = false;
        await NextAsync<NetlinkEvent>(events, e =>
        {
            if (e is EventsLost)
                lost = true;
            else if (e is RouteEvent { Removed: false, Route.Protocol: RouteProtocol.Tabby } r)
                added.Add(r.Route.Destination);
            return lost || added.Count == routes.Count;
        });

        // Losing events is allowed (the subscriber then resyncs), losing them silently is not.
        Assert.True(lost || added.SetEquals(routes.Select(r => r.Destination)));
    }

    [Fact]
    public async Task A_subscription_sees_only_its_own_namespace()
    {
        using var namespaces = new NamespaceSet("ev");
        var watched = namespaces.Create("a");
        using var inWatched = RtNetlinkClient.Open(watched);
        using var inOther = RtNetlinkClient.Open(namespaces.Create("b"));
        using var events = NetlinkEventSubscription.Subscribe(watched, NetlinkEventKinds.Links);

        inOther.Links.CreateBridge("br-other");
        inWatched.Links.CreateBridge("br-marker");
        var seen = new List<LinkEvent>();
        await NextAsync<LinkEvent>(events, e =>
        {
            seen.Add(e);
            return e.Link.Name == "br-marker";
        });

        Assert.DoesNotContain(seen, e => e.Link.Name == "br-other");
    }

    [Fact]
    public async Task A_subscription_for_links_only_delivers_no_route_or_address_events()
    {
        using var namespaces = new NamespaceSet("ev");
        var ns = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(ns);
        var v0 = netlink.Links.CreateVeth(new VethSpec("v0", "v1"));
        using var events = NetlinkEventSubscription.Subscribe(ns, NetlinkEventKinds.Links);

        netlink.Addresses.Add(new InterfaceAddress(v0.Index, IPAddress.Parse("192.168.7.1"), 24));
        netlink.Routes.Add(Route.ToWorkload(IpPrefix.Parse("10.20.1.2/32"), v0.Index));
        netlink.Links.CreateBridge("br-marker");
        var seen = new List<NetlinkEvent>();
        await NextAsync<NetlinkEvent>(events, e =>
        {
            seen.Add(e);
            return e is LinkEvent { Link.Name: "br-marker" };
        });

        Assert.All(seen, e => Assert.IsType<LinkEvent>(e));
    }

    [Fact]
    public async Task Disposing_a_subscription_completes_its_stream()
    {
        using var namespaces = new NamespaceSet("ev");
        var events = NetlinkEventSubscription.Subscribe(namespaces.Create("a"));

        events.Dispose();

        using var timeout = new CancellationTokenSource(s_deadline);
        await events.Events.Completion.WaitAsync(timeout.Token);
        Assert.True(events.Events.Completion.IsCompletedSuccessfully);
    }

    /// <summary>Reads events until one of type <typeparamref name="T"/> matches; fails when the deadline passes first.</summary>
    private static async Task<T> NextAsync<T>(NetlinkEventSubscription events, Func<T, bool> match)
        where T : NetlinkEvent
    {
        using var timeout = new CancellationTokenSource(s_deadline);
        try
        {
            await foreach (var e in events.ReadAllAsync(timeout.Token))
            {
                if (e is T typed && match(typed))
                    return typed;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"no matching {typeof(T).Name} within {s_deadline.TotalSeconds} s");
        }
        Assert.Fail($"the event stream ended before a matching {typeof(T).Name} arrived");
        return null!;
    }
}
