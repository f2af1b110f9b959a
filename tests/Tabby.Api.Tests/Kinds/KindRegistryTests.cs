using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Api.Tests.Kinds;

public class KindRegistryTests
{
    [Theory]
    [InlineData("IPPool", "ippools", false)]
    [InlineData("NetworkPolicy", "networkpolicies", true)]
    [InlineData("GlobalNetworkPolicy", "globalnetworkpolicies", false)]
    [InlineData("BGPPeer", "bgppeers", false)]
    [InlineData("WorkloadEndpoint", "workloadendpoints", true)]
    [InlineData("NetworkSet", "networksets", true)]
    [InlineData("BlockAffinity", "blockaffinities", false)]
    [InlineData("FelixConfiguration", "felixconfigurations", false)]
    public void Kinds_have_calico_plurals_and_scope(string kind, string plural, bool namespaced)
    {
        Assert.True(KindRegistry.TryGetByKind(kind, out var info));

        Assert.Equal(plural, info.Plural);
        Assert.Equal(namespaced, info.Namespaced);
        Assert.Equal(kind, info.Create().Kind);
    }

    [Fact]
    public void Every_kind_is_registered_once_with_a_model_type()
    {
        Assert.Equal(20, KindRegistry.All.Count);
        Assert.Equal(KindRegistry.All.Count, KindRegistry.All.Select(k => k.Plural).Distinct().Count());
        foreach (var kind in KindRegistry.All)
            Assert.Same(kind, KindRegistry.For(kind.ClrType));
    }

    [Fact]
    public void People_may_type_plurals_and_short_names_in_any_case()
    {
        Assert.True(KindRegistry.TryResolve("gnp", out var gnp));
        Assert.Equal("GlobalNetworkPolicy", gnp.Kind);
        Assert.True(KindRegistry.TryResolve("IPPOOLS", out var pools));
        Assert.Equal("IPPool", pools.Kind);
        Assert.False(KindRegistry.TryGetByKind("ippool", out _));
    }

    [Fact]
    public void Keys_follow_calicos_etcd_layout()
    {
        var policy = new NetworkPolicy { Metadata = { Name = "allow-dns", Namespace = "kube-system" } };
        var pool = new IPPool { Metadata = { Name = "default-ipv4-ippool" } };

        Assert.Equal("/calico/resources/v3/projectcalico.org/networkpolicies/kube-system/allow-dns", ResourceKey.For(policy).Path);
        Assert.Equal("/calico/resources/v3/projectcalico.org/ippools/default-ipv4-ippool", ResourceKey.For(pool).Path);
        Assert.Equal("/calico/resources/v3/projectcalico.org/networkpolicies/kube-system/", ResourceKey.PrefixFor(KindRegistry.For<NetworkPolicy>(), "kube-system"));
        Assert.Equal("/calico/resources/v3/projectcalico.org/globalnetworkpolicies/", ResourceKey.PrefixFor(KindRegistry.For<GlobalNetworkPolicy>()));
    }

    [Fact]
    public void Keys_parse_back()
    {
        Assert.True(ResourceKey.TryParse("/calico/resources/v3/projectcalico.org/networkpolicies/ns1/p1", out var key));
        Assert.Equal(("NetworkPolicy", "ns1", "p1"), (key.Value.Kind.Kind, key.Value.Namespace, key.Value.Name));
        Assert.True(ResourceKey.TryParse("/calico/resources/v3/projectcalico.org/bgppeers/peer1", out var peer));
        Assert.Null(peer.Value.Namespace);
        Assert.False(ResourceKey.TryParse("/calico/resources/v3/projectcalico.org/bgppeers/ns/peer1", out _));
        Assert.False(ResourceKey.TryParse("/calico/resources/v3/projectcalico.org/gnp/x", out _));
        Assert.False(ResourceKey.TryParse("/calico/ipam/v2/host/x", out _));
    }

    [Fact]
    public void A_namespaced_resource_without_namespace_has_no_key()
    {
        Assert.Throws<ArgumentException>(() => ResourceKey.For(new NetworkSet { Metadata = { Name = "s" } }));
    }
}
