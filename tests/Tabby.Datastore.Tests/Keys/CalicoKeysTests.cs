namespace Tabby.Datastore.Tests.Keys;

public sealed class CalicoKeysTests
{
    [Fact]
    public void Resource_keys_follow_calicos_layout_and_parse_back()
    {
        Assert.Equal("/calico/resources/v3/projectcalico.org/ippools/default-pool", CalicoKeys.Resource("ippools", null, "default-pool"));
        var key = CalicoKeys.Resource("networkpolicies", "prod", "allow-web");
        Assert.Equal("/calico/resources/v3/projectcalico.org/networkpolicies/prod/allow-web", key);
        Assert.True(CalicoKeys.TryParseResource(key, out var plural, out var ns, out var name));
        Assert.Equal(("networkpolicies", "prod", "allow-web"), (plural, ns, name));
        Assert.True(CalicoKeys.TryParseResource(CalicoKeys.Resource("nodes", null, "h1"), out _, out var none, out _));
        Assert.Null(none);
        Assert.False(CalicoKeys.TryParseResource("/calico/ipam/v2/handle/x", out _, out _, out _));
        Assert.StartsWith(CalicoKeys.ResourcePrefix("networkpolicies", "prod"), key, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CalicoKeys.Resource("ippools", null, "a/b"));
    }

    [Fact]
    public void Ipam_keys_follow_calicos_layout()
    {
        Assert.Equal("/calico/ipam/v2/assignment/ipv4/block/10.20.1.0-26", CalicoKeys.IpamBlock("10.20.1.0/26"));
        Assert.Equal("/calico/ipam/v2/host/h1/ipv6/block/fd00::-122", CalicoKeys.IpamAffinity("h1", "fd00::/122"));
        Assert.Equal("/calico/ipam/v2/handle/k8s-pod-network.abc", CalicoKeys.IpamHandle("k8s-pod-network.abc"));
    }
}
