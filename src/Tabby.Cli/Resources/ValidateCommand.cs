using System.CommandLine;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>`tabby validate -f`: parses and validates manifests without a datastore.</summary>
public static class ValidateCommand
{
    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var stray = ResourceCommands.StrayArgument();
        var files = ResourceCommands.FileOption("check");
        var command = new Command("validate", "Check manifests as apply would, without touching the datastore") { files, stray };
        command.SetAction((result, token) => CommandRunner.RunAsync(result, datastore, environment, async (context, _) =>
        {
            var set = ManifestLoader.Load(ResourceCommands.Files(context, files, stray), environment.Stdin);
            IReadOnlyList<string> errors = set.Errors.Count > 0 ? set.Errors : ResourceWritePlanner.CheckVersions(set.Resources);
            foreach (var error in errors)
                await context.Error.WriteLineAsync(error).ConfigureAwait(false);
            if (errors.Count > 0)
            {
                await context.Error.WriteLineAsync($"{errors.Count} error(s)").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            await context.Output.WriteLineAsync($"valid: {set.Resources.Count} resource(s) in {set.Files} file(s)").ConfigureAwait(false);
            return ExitCodes.Ok;
        }, token));
        return command;
    }
}
