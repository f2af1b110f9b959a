using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Config;

public sealed class WorkloadMtuTests
{
    private static NetConf Conf(int mtu, string file) =>
        new() { Version = CniVersion.V1_0_0, Name = "n", Type = "tabby", Datastore = "sqlite:/x", Mtu = mtu, MtuFile = file };

    [Theory]
    [InlineData(9000, "1450\n", 9000)] // the network config wins
    [InlineData(0, "1450\n", 1450)]    // else what the agent wrote
    [InlineData(0, "  1400 ", 1400)]
    [InlineData(0, "", 0)]             // anything but a sane MTU: the kernel's default, never a failed ADD
    [InlineData(0, "fourteen", 0)]
    [InlineData(0, "-1450", 0)]
    [InlineData(0, "67", 0)]
    [InlineData(0, "70000", 0)]
    public void The_configured_MTU_wins_then_the_agents_file_then_the_kernels_default(int configured, string written, int expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, written);
            Assert.Equal(expected, WorkloadMtu.Resolve(Conf(configured, file)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void No_file_means_the_kernels_default() =>
        Assert.Equal(0, WorkloadMtu.Resolve(Conf(0, "/nonexistent/tabby/mtu")));
}
