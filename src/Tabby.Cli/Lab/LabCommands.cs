using System.CommandLine;
using Spectre.Console;
using Tabby.Lab.Namespaces;

namespace Tabby.Cli.Lab;

/// <summary>`tabby lab ...`: multi-host networks built from namespaces on this machine.</summary>
internal static class LabCommands
{
    public static Command Create()
    {
        var lab = new Command("lab", "Build and inspect lab networks made of namespaces on this machine");

        var keep = new Option<bool>("--keep") { Description = "Leave the namespaces in place and print how to look inside" };
        var demo = new Command("demo", "Build the seed topology (two hosts, three workloads), ping across it, show the routing tables") { keep };
        demo.SetAction((result, token) => SeedDemo.RunAsync(result.GetValue(keep), token));
        lab.Subcommands.Add(demo);

        ClusterCommands.AddTo(lab);
        var prefix = new Option<string>("--prefix") { Description = "Remove a kept demo: every namespace with this prefix (tby-...)" };
        var down = new Command("down", "Stop a lab made by `tabby lab up` (or remove a kept demo's namespaces with --prefix)") { prefix };
        down.SetAction(async result =>
        {
            if (result.GetValue(prefix) is not { } given)
                return await ClusterCommands.DownAsync(result.GetValue<string>("--name")!).ConfigureAwait(false);
            try
            {
                var removed = NamespaceSet.DeleteWithPrefix(given);
                AnsiConsole.MarkupLineInterpolated($"removed {removed.Count} namespace(s)");
                return 0;
            }
            catch (ArgumentException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 2;
            }
        });
        lab.Subcommands.Add(down);

        var sweep = new Command("sweep", "Remove namespaces left behind by Tabby runs that no longer exist");
        sweep.SetAction(_ =>
        {
            var swept = NamespaceSet.SweepStale();
            AnsiConsole.MarkupLineInterpolated($"removed {swept.Count} stale namespace(s)");
            return 0;
        });
        lab.Subcommands.Add(sweep);
        return lab;
    }
}
