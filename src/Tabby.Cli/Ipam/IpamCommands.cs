using System.CommandLine;
using Tabby.Cli.Resources;

namespace Tabby.Cli.Ipam;

/// <summary>`tabby ipam show|check|release|configure`: calicoctl's IPAM commands over Tabby's datastore.</summary>
public static class IpamCommands
{
    /// <summary>Adds <c>tabby ipam</c>, sharing the global <c>--datastore</c> option with the resource commands.</summary>
    public static void AddTo(RootCommand root, ResourceCliEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var env = environment ?? ResourceCliEnvironment.Process;
        var datastore = ResourceCommands.DatastoreOption(root);
        root.Subcommands.Add(new Command("ipam", "IP address management: usage, consistency checks, releases and settings")
        {
            ShowCommand.Create(datastore, env),
            CheckCommand.Create(datastore, env),
            ReleaseCommand.Create(datastore, env),
            ConfigureCommand.Create(datastore, env),
        });
    }
}
