using Tabby.Cni.Dataplane;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Tests.Workloads;

public sealed class LinkLocalTests
{
    [Fact]
    public void The_host_sides_link_local_address_follows_from_its_fixed_mac()
    {
        Assert.Equal("fe80::ecee:eeff:feee:eeee", VethPlumbing.Eui64LinkLocal(MacAddress.HostSideWorkload).ToString());
        Assert.Equal("fe80::ff:fe00:1", VethPlumbing.Eui64LinkLocal(MacAddress.Parse("02:00:00:00:00:01")).ToString());
    }
}
