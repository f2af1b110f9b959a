using System.Net;
using Microsoft.Extensions.Logging;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Dataplane;

namespace Tabby.Node.Tests.Dataplane;

/// <summary>Learned routes go to the kernel each on its own merit, and the log says which it took.</summary>
public sealed class LearnedRouteApplyTests
{
    private static Route Learned(string prefix, string gateway) => Route.Via(IpPrefix.Parse(prefix), IPAddress.Parse(gateway));

    [Fact]
    public void Only_the_routes_the_kernel_took_are_logged_as_programmed_and_each_refusal_with_the_kernels_error()
    {
        var kernel = new FakeKernel { Unreachable = { IPAddress.Parse("172.16.0.1") } };
        var logger = new ListLogger();
        var reachable = Learned("10.20.2.0/26", "192.168.0.3");
        var unreachable = Learned("10.20.3.0/26", "172.16.0.1");

        var refused = DataplaneDriver.ApplyLearned(kernel, logger, [reachable, unreachable]);

        Assert.Equal([reachable], kernel.Routes);
        Assert.Equal(unreachable, Assert.Single(refused).Route);
        var programmed = Assert.Single(logger.Lines, l => l.Message.StartsWith("route programmed", StringComparison.Ordinal));
        Assert.Equal($"route programmed: {reachable}", programmed.Message);
        var refusal = Assert.Single(logger.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(109, refusal.Event.Id);
        var reason = "Network is unreachable (ENETUNREACH); kernel says: Nexthop has invalid gateway";
        Assert.Equal($"learned route {unreachable} not programmed, the kernel refused it: {reason}", refusal.Message);
        Assert.Equal(reason, Assert.Single(refused).Error);
    }

    [Fact]
    public void Nothing_learned_asks_nothing_of_the_kernel_and_logs_nothing()
    {
        var logger = new ListLogger();

        Assert.Empty(DataplaneDriver.ApplyLearned(new FakeKernel(), logger, []));
        Assert.Empty(logger.Lines);
    }
}
