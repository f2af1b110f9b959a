using System.CommandLine;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Serialization;
using Tabby.Api.Validation;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>`tabby get KIND [NAME...] [-n NS | -A] [-o table|wide|yaml|json]`; yaml and json read back through apply unchanged.</summary>
public static class GetCommand
{
    private static readonly string[] s_formats = ["table", "wide", "yaml", "json"];

    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var kindArgument = new Argument<string>("KIND") { Description = "A kind: plural, singular or short name, any case (ippools, ippool, IPPool, gnp, ...)", Arity = ArgumentArity.ZeroOrOne };
        var namesArgument = new Argument<string[]>("NAME") { Description = "Names to show (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var ns = new Option<string>("--namespace", "-n") { Description = "The namespace of namespaced kinds (default: default)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Every namespace" };
        var output = new Option<string>("--output", "-o") { Description = "table, wide, yaml or json", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "Show resources") { kindArgument, namesArgument, ns, all, output };
        command.SetAction((result, token) => CommandRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            var kind = KindArgument.Resolve(KindArgument.Words([context.ParseResult.GetValue(kindArgument) ?? ""], "get")[0]);
            var format = (context.Value(output) ?? "table").ToLowerInvariant();
            if (!s_formats.Contains(format))
                throw new CliUsageException($"-o {format}: expected table, wide, yaml or json");
            var allNamespaces = context.Value(all);
            if (allNamespaces && context.Value(ns) is not null)
                throw new CliUsageException("give either -n or -A, not both");
            var @namespace = !kind.Namespaced || allNamespaces ? null : context.Value(ns) ?? ResourceDefaults.DefaultNamespace;
            var names = KindArgument.Words(context.ParseResult.GetValue(namesArgument), "get");

            var store = context.OpenExistingStore();
            var found = new List<IResource>();
            var missing = new List<string>();
            await using (store.Datastore.ConfigureAwait(false))
            {
                if (names.Length == 0 || (kind.Namespaced && allNamespaces))
                {
                    var listed = (await store.ListAsync(kind, @namespace, ct).ConfigureAwait(false)).Items;
                    if (names.Length == 0)
                    {
                        found.AddRange(listed);
                    }
                    else
                    {
                        foreach (var name in names)
                        {
                            var matches = listed.Where(r => r.Metadata.Name == name).ToList();
                            found.AddRange(matches);
                            if (matches.Count == 0)
                                missing.Add($"{kind.Kind} {name} not found in any namespace");
                        }
                    }
                }
                else
                {
                    foreach (var name in names)
                    {
                        var key = new ResourceKey(kind, @namespace, name);
                        if (await store.GetRawAsync(key, ct).ConfigureAwait(false) is { } stored)
                            found.Add(ResourceCodec.Decode(stored));
                        else
                            missing.Add($"{ResourceNames.Display(key)} not found");
                    }
                }
            }

            await WriteAsync(context, kind, found, format, @namespace, names.Length > 0).ConfigureAwait(false);
            foreach (var line in missing)
                await context.Error.WriteLineAsync(line).ConfigureAwait(false);
            return missing.Count > 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        }, token));
        return command;
    }

    private static async Task WriteAsync(CommandContext context, KindInfo kind, List<IResource> found, string format, string? @namespace, bool named)
    {
        switch (format)
        {
            case "yaml" or "json":
                if (found.Count > 0 || format == "json")
                    await context.Output.WriteAsync(ResourceWriter.Write(found, format == "yaml" ? ResourceFormat.Yaml : ResourceFormat.Json)).ConfigureAwait(false);
                break;
            default:
                if (found.Count == 0)
                {
                    if (!named)
                        await context.Error.WriteLineAsync(kind.Namespaced && @namespace is not null ? $"no {kind.Plural} in namespace {@namespace}" : $"no {kind.Plural}").ConfigureAwait(false);
                    break;
                }
                ResourceTable.Write(context.Output, kind, found, format == "wide");
                break;
        }
    }
}
