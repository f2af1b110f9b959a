using Tabby.Core.Addressing;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Integration.Tests.Linux;

public sealed class VethTests
{
    [Fact]
    public void A_veth_peer_created_in_another_namespace_is_visible_there_and_not_here()
    {
        using var namespaces = new NamespaceSet("veth");
        var host = namespaces.Create("host");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(host);
        using var inWorkload = RtNetlinkClient.Open(workload);
        var peerMac = MacAddress.Parse("02:00:00:00:00:02");

        var hostSide = inHost.Links.CreateVeth(new VethSpec("cali0123456789a", "eth0")
        {
            PeerNamespace = workload,
            Mac = MacAddress.HostSideWorkload,
            PeerMac = peerMac,
        });

        Assert.Null(inHost.Links.Get("eth0"));
        Assert.Null(inWorkload.Links.Get("cali0123456789a"));
        var peer = inWorkload.Links.GetRequired("eth0");
        Assert.Equal("veth", peer.Kind);
        Assert.Equal(peerMac, peer.Mac);
        Assert.False(peer.IsUp); // the peer's state belongs to whoever owns its namespace
        Assert.Equal(peer.Index, hostSide.ParentIndex);
        Assert.Equal(hostSide.Index, peer.ParentIndex);
        Assert.NotNull(hostSide.PeerNamespaceId);
        Assert.NotNull(peer.PeerNamespaceId);
        Assert.Equal(MacAddress.HostSideWorkload, hostSide.Mac);
        Assert.True(hostSide.IsUp);
    }

    [Fact]
    public void Both_ends_up_give_carrier_across_namespaces()
    {
        using var namespaces = new NamespaceSet("veth");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(namespaces.Create("host"));
        using var inWorkload = RtNetlinkClient.Open(workload);
        var hostSide = inHost.Links.CreateVeth(new VethSpec("v-host", "eth0") { PeerNamespace = workload });

        inWorkload.Links.SetUp(inWorkload.Links.GetRequired("eth0").Index, true);

        Assert.True(inHost.Links.Get(hostSide.Index)!.HasCarrier);
        Assert.True(inWorkload.Links.GetRequired("eth0").HasCarrier);
    }

    [Fact]
    public void A_peer_name_over_15_characters_is_refused_with_a_precise_ArgumentException_and_nothing_is_created()
    {
        using var namespaces = new NamespaceSet("veth");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(namespaces.Create("host"));
        using var inWorkload = RtNetlinkClient.Open(workload);

        var thisEnd = Assert.Throws<ArgumentException>(() => inHost.Links.CreateVeth(new VethSpec("host-side-name16", "eth0") { PeerNamespace = workload }));
        var peerEnd = Assert.Throws<ArgumentException>(() => inHost.Links.CreateVeth(new VethSpec("v0", "peer-side-name16") { PeerNamespace = workload }));

        Assert.Equal("interface name 'host-side-name16' is 16 characters; Linux allows at most 15 (Parameter 'name')", thisEnd.Message);
        Assert.Equal("interface name 'peer-side-name16' is 16 characters; Linux allows at most 15 (Parameter 'name')", peerEnd.Message);
        Assert.Equal(["lo"], inHost.Links.List().Select(l => l.Name));
        Assert.Equal(["lo"], inWorkload.Links.List().Select(l => l.Name));
    }

    [Fact]
    public void A_veth_whose_peer_name_is_taken_in_the_peer_namespace_fails_with_EEXIST_and_creates_no_end_here()
    {
        using var namespaces = new NamespaceSet("veth");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(namespaces.Create("host"));
        using var inWorkload = RtNetlinkClient.Open(workload);
        inWorkload.Links.CreateBridge("eth0");

        var error = Assert.Throws<NetlinkException>(() => inHost.Links.CreateVeth(new VethSpec("v0", "eth0") { PeerNamespace = workload }));

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains($"netns {workload}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["lo"], inHost.Links.List().Select(l => l.Name));
        Assert.Equal("bridge", inWorkload.Links.GetRequired("eth0").Kind);
    }

    [Fact]
    public void A_veth_whose_second_step_fails_is_reported_and_neither_end_is_left_in_either_namespace()
    {
        using var namespaces = new NamespaceSet("veth");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(namespaces.Create("host"));
        using var inWorkload = RtNetlinkClient.Open(workload);
        // The pair is created first; this end's MAC is set in a second request, and the kernel
        // refuses a multicast MAC as an interface's own address.
        var multicast = MacAddress.Parse("01:00:5e:00:00:01");

        var error = Assert.Throws<NetlinkException>(() => inHost.Links.CreateVeth(new VethSpec("cali0123456789a", "eth0")
        {
            PeerNamespace = workload,
            Mac = multicast,
        }));

        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
        Assert.Contains("configuring veth cali0123456789a", error.Message, StringComparison.Ordinal);
        Assert.Equal(["lo"], inHost.Links.List().Select(l => l.Name));
        Assert.Equal(["lo"], inWorkload.Links.List().Select(l => l.Name));
    }

    [Fact]
    public void A_veth_whose_second_step_fails_with_both_ends_here_leaves_nothing_behind()
    {
        using var namespaces = new NamespaceSet("veth");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("host"));

        var error = Assert.Throws<NetlinkException>(() => netlink.Links.CreateVeth(new VethSpec("v0", "v1") { Mac = MacAddress.Parse("01:00:5e:00:00:01") }));

        Assert.Equal(Errno.EADDRNOTAVAIL, error.Errno);
        Assert.Equal(["lo"], netlink.Links.List().Select(l => l.Name));
    }

    [Fact]
    public void A_veth_whose_first_step_fails_leaves_nothing_behind()
    {
        using var namespaces = new NamespaceSet("veth");
        var workload = namespaces.Create("wl");
        using var inHost = RtNetlinkClient.Open(namespaces.Create("host"));
        using var inWorkload = RtNetlinkClient.Open(workload);

        // A multicast peer MAC travels in the creating request itself, so the kernel refuses the whole pair.
        var error = Assert.Throws<NetlinkException>(() => inHost.Links.CreateVeth(new VethSpec("v0", "eth0")
        {
            PeerNamespace = workload,
            PeerMac = MacAddress.Parse("01:00:5e:00:00:01"),
        }));

        Assert.NotEqual(0, error.Errno);
        Assert.Equal(["lo"], inHost.Links.List().Select(l => l.Name));
        Assert.Equal(["lo"], inWorkload.Links.List().Select(l => l.Name));
    }
}
