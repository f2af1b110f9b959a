using System.CommandLine;
using Tabby.Api.Kinds;
using Tabby.Api.Validation;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>`tabby delete -f FILE` or `tabby delete KIND NAME... [-n NS]`: deletes all of them or none.</summary>
public static class DeleteCommand
{
    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var files = ResourceCommands.FileOption("delete");
        var targets = new Argument<string[]>("KIND NAME") { Description = "A kind and the names to delete (instead of -f)", Arity = ArgumentArity.ZeroOrMore };
        var ns = new Option<string>("--namespace", "-n") { Description = "The namespace of namespaced kinds (default: default)", Arity = ArgumentArity.ZeroOrOne };
        var skipMissing = new Option<bool>("--skip-not-exists") { Description = "Do not fail for resources that do not exist" };
        var command = new Command("delete", "Delete resources named in manifests or on the command line") { files, targets, ns, skipMissing };
        command.SetAction((result, token) => CommandRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            var names = KindArgument.Words(context.ParseResult.GetValue(targets), "delete");
            var manifests = context.Value(files) ?? [];
            List<(ResourceKey Key, long? Version, string? Source)> wanted;
            if (manifests.Length > 0)
            {
                if (names.Length > 0)
                    throw new CliUsageException("give either -f or KIND NAME..., not both");
                var set = ManifestLoader.Load(manifests, environment.Stdin);
                IReadOnlyList<string> errors = set.Errors.Count > 0 ? set.Errors : ResourceWritePlanner.CheckVersions(set.Resources);
                if (errors.Count > 0)
                    return await WriteCommand.RefuseInputAsync(context, errors).ConfigureAwait(false);
                wanted = [.. set.Resources.Select(r => (r.Key, ResourceCodec.ParseVersion(r.Resource.Metadata.ResourceVersion), (string?)r.Source))];
            }
            else
            {
                if (names.Length < 2)
                    throw new CliUsageException("name what to delete: -f FILE, or KIND NAME... (e.g. 'tabby delete ippool pool-a')");
                var kind = KindArgument.Resolve(names[0]);
                var @namespace = kind.Namespaced ? context.Value(ns) ?? ResourceDefaults.DefaultNamespace : null;
                wanted = [.. names.Skip(1).Distinct(StringComparer.Ordinal).Select(n => (new ResourceKey(kind, @namespace, n), (long?)null, (string?)null))];
            }
            if (wanted.Count == 0)
                throw new CliUsageException("no resources to delete");

            var store = context.OpenExistingStore();
            await using (store.Datastore.ConfigureAwait(false))
            {
                var changes = new List<PlannedChange>();
                var failures = new List<ResourceFailure>();
                foreach (var (key, version, source) in wanted)
                {
                    var prefix = $"{(source is null ? "" : source + ": ")}{ResourceNames.Display(key)}: ";
                    var current = await store.GetRawAsync(key, ct).ConfigureAwait(false);
                    if (current is null)
                    {
                        if (context.Value(skipMissing))
                            await context.Output.WriteLineAsync($"{ResourceNames.Display(key)} not found, skipped").ConfigureAwait(false);
                        else
                            failures.Add(new($"{prefix}not found", ExitCodes.NotFound));
                        continue;
                    }
                    if (version is { } v && v != current.ModRevision)
                    {
                        failures.Add(new($"{prefix}resourceVersion {v} is stale: it was changed since (it is now at {current.ModRevision}); get it again and retry", ExitCodes.Conflict));
                        continue;
                    }
                    changes.Add(new(key, "deleted", current, TxnOp.Delete(key.Path), source));
                }
                if (failures.Count > 0)
                    return await ChangeCommitter.RefuseAsync(failures, wanted.Count, context.Error).ConfigureAwait(false);
                return await ChangeCommitter.CommitAsync(store, changes, context.Output, context.Error, ct).ConfigureAwait(false);
            }
        }, token));
        return command;
    }
}
