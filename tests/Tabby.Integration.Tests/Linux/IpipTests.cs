using System.Net;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Integration.Tests.Linux;

public sealed class IpipTests
{
    [Fact]
    public void An_IPIP_device_is_created_where_the_kernel_has_the_driver_and_refused_clearly_where_it_does_not()
    {
        using var namespaces = new NamespaceSet("ipip");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var spec = new IpipSpec("tunl1") { Local = IPAddress.Parse("10.0.0.1"), Remote = IPAddress.Parse("10.0.0.2") };

        Link? created = null;
        NetlinkException? refused = null;
        try
        {
            created = netlink.Links.CreateIpip(spec);
        }
        catch (NetlinkException e)
        {
            refused = e;
        }

        if (created is not null)
        {
            Assert.Equal("ipip", created.Kind);
            Assert.Equal("tunl1", created.Name);
            Assert.True(created.IsUp);
        }
        else
        {
            // The machines this project is tested on have no ipip module (see RIG.md).
            Assert.NotNull(refused);
            Assert.Equal(Errno.EOPNOTSUPP, refused.Errno);
            Assert.Contains("no IPIP driver", refused.Message, StringComparison.Ordinal);
            Assert.Contains("tunl1", refused.Message, StringComparison.Ordinal);
            Assert.Null(netlink.Links.Get("tunl1"));
        }
    }
}
