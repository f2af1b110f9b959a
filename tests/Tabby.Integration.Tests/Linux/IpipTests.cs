using System.Net;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Integration.Tests.Linux;

public sealed class IpipTests
{
    [Fact]
    public void An_IPIP_device_is_created_exactly_when_the_kernel_has_the_driver()
    {
        // Decided before asking netlink, from what the kernel publishes: the kernel answers
        // EOPNOTSUPP both for a missing driver and for a kind it does not know (a misspelt one),
        // so a refusal only counts as "no driver" where the driver is really absent.
        var hasDriver = KernelShowsModule("ipip");

        using var namespaces = new NamespaceSet("ipip");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));
        var spec = new IpipSpec("tunl1") { Local = IPAddress.Parse("10.0.0.1"), Remote = IPAddress.Parse("10.0.0.2") };

        if (hasDriver)
        {
            var created = netlink.Links.CreateIpip(spec);
            Assert.Equal("ipip", created.Kind);
            Assert.Equal("tunl1", created.Name);
            Assert.True(created.IsUp);
            return;
        }

        // The machines this project is tested on have no ipip module (see RIG.md).
        var refused = Assert.Throws<NetlinkException>(() => netlink.Links.CreateIpip(spec));
        Assert.Equal(Errno.EOPNOTSUPP, refused.Errno);
        // The message names the kind the request carried: a request for any other kind says so.
        Assert.Contains("no driver for link kind 'ipip'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("tunl1", refused.Message, StringComparison.Ordinal);
        Assert.Null(netlink.Links.Get("tunl1"));
    }

    [Fact]
    public void Drivers_are_judged_from_what_the_kernel_publishes()
    {
        // vxlan is present on every machine this project runs on (RIG.md); no kernel has this one.
        Assert.True(LinkDrivers.IsAvailable("vxlan"));
        Assert.False(LinkDrivers.IsAvailable("ipipx"));
        Assert.Equal(KernelShowsModule("ipip"), LinkDrivers.IsAvailable("ipip"));
    }

    // The test's own reading of the kernel's module lists, independent of LinkDrivers.
    private static bool KernelShowsModule(string name)
    {
        if (Directory.Exists("/sys/module/" + name))
            return true;
        var dir = "/lib/modules/" + File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        return new[] { "modules.dep", "modules.builtin" }
            .Select(f => Path.Combine(dir, f))
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Any(line => line.Split(':')[0].Split('/')[^1].StartsWith(name + ".ko", StringComparison.Ordinal));
    }
}
