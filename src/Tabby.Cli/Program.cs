using System.CommandLine;
using Tabby.Cli.Bgp;
using Tabby.Cli.Lab;

// The `tabby` command. Each feature adds its subcommands in its own folder.
var root = new RootCommand("tabby: pure layer-3 networking for containers and VMs");
root.Subcommands.Add(LabCommands.Create());
root.Subcommands.Add(BgpCommands.Create());
return root.Parse(args).Invoke();
