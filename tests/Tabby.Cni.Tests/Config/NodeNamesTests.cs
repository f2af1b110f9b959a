using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Config;

public sealed class NodeNamesTests
{
    private static NetConf Conf(string? nodename, string file) =>
        new() { Version = CniVersion.V1_0_0, Name = "n", Type = "tabby", Datastore = "sqlite:/x", Nodename = nodename, NodenameFile = file };

    [Fact]
    public void The_configured_name_wins_then_the_agents_file_then_the_hostname()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "node-from-file\n");
            Assert.Equal("node-a", NodeNames.Resolve(Conf("node-a", file)));
            Assert.Equal("node-from-file", NodeNames.Resolve(Conf(null, file)));
            File.WriteAllText(file, "  ");
            Assert.Equal(Environment.MachineName.ToLowerInvariant(), NodeNames.Resolve(Conf(null, file)));
            Assert.Equal(Environment.MachineName.ToLowerInvariant(), NodeNames.Resolve(Conf(null, "/nonexistent/tabby/nodename")));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
