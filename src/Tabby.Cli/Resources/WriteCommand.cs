using System.CommandLine;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>`tabby apply|create|replace -f`: validates every document first, then writes all of them or none (see <see cref="ChangeCommitter"/>).</summary>
public static class WriteCommand
{
    public static Command Create(WriteMode mode, Option<string> datastore, ResourceCliEnvironment environment)
    {
        var (name, description) = mode switch
        {
            WriteMode.Apply => ("apply", "Create resources, or update those that exist"),
            WriteMode.Create => ("create", "Create resources; fails for any that already exist"),
            _ => ("replace", "Replace existing resources; honours metadata.resourceVersion (optimistic concurrency)"),
        };
        var stray = ResourceCommands.StrayArgument();
        var files = ResourceCommands.FileOption(name);
        var skipExists = new Option<bool>("--skip-exists") { Description = "Leave resources that already exist alone instead of failing" };
        var command = new Command(name, description) { files, stray };
        if (mode == WriteMode.Create)
            command.Options.Add(skipExists);
        command.SetAction((result, token) => CommandRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            var set = ManifestLoader.Load(ResourceCommands.Files(context, files, stray), environment.Stdin);
            IReadOnlyList<string> errors = set.Errors.Count > 0 ? set.Errors : ResourceWritePlanner.CheckVersions(set.Resources);
            if (errors.Count > 0)
                return await RefuseInputAsync(context, errors).ConfigureAwait(false);
            if (set.Resources.Count == 0)
                throw new CliUsageException($"no resources found in {string.Join(", ", context.Value(files)!)}");

            var store = context.OpenStore();
            await using (store.Datastore.ConfigureAwait(false))
            {
                var plan = await store.PlanAsync(mode, set.Resources, context.Value(skipExists), ct).ConfigureAwait(false);
                if (!plan.Succeeded)
                    return await ChangeCommitter.RefuseAsync(plan.Failures, set.Resources.Count, context.Error).ConfigureAwait(false);
                return await ChangeCommitter.CommitAsync(store, plan.Changes, context.Output, context.Error, ct).ConfigureAwait(false);
            }
        }, token));
        return command;
    }

    internal static async Task<int> RefuseInputAsync(CommandContext context, IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
            await context.Error.WriteLineAsync(error).ConfigureAwait(false);
        await context.Error.WriteLineAsync($"nothing was changed: {errors.Count} error(s)").ConfigureAwait(false);
        return ExitCodes.BadInput;
    }
}
