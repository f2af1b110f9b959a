namespace Tabby.Datastore.Tests.Keys;

public sealed class CalicoKeysTests
{
    [Fact]
    public void Ipam_keys_follow_calicos_layout()
    {
        Assert.Equal("/calico/ipam/v2/assignment/ipv4/block/10.20.1.0-26", CalicoKeys.IpamBlock("10.20.1.0/26"));
        Assert.Equal("/calico/ipam/v2/host/h1/ipv6/block/fd00::-122", CalicoKeys.IpamAffinity("h1", "fd00::/122"));
        Assert.Equal("/calico/ipam/v2/handle/k8s-pod-network.abc", CalicoKeys.IpamHandle("k8s-pod-network.abc"));
        Assert.Throws<ArgumentException>(() => CalicoKeys.IpamHandle("a/b"));
    }
}
