using System.CommandLine;
using Tabby.Cli.Bgp;
using Tabby.Cli.Ipam;
using Tabby.Cli.Lab;
using Tabby.Cli.Agent;
using Tabby.Cli.Resources;

// The `tabby` command. Each feature adds its subcommands in its own folder.
var root = new RootCommand("tabby: pure layer-3 networking for containers and VMs");
root.Subcommands.Add(LabCommands.Create());
root.Subcommands.Add(BgpCommands.Create());
var datastore = ResourceCommands.AddTo(root);
IpamCommands.AddTo(root);
root.Subcommands.Add(NodeCommands.Create(datastore, ResourceCliEnvironment.Process));
return root.Parse(args).Invoke();
