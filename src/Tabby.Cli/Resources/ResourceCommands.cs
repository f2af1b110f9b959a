using Tabby.Datastore.Resources;
using System.CommandLine;

namespace Tabby.Cli.Resources;

/// <summary>`tabby apply|create|replace|delete|get|validate`: Calico v3 resources in the datastore, with calicoctl's semantics.</summary>
public static class ResourceCommands
{
    public const string DatastoreOptionName = "--datastore";

    /// <summary>Adds the resource commands and the global <c>--datastore</c> option (reusing one another feature already added); returns that option.</summary>
    public static Option<string> AddTo(RootCommand root, ResourceCliEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        var env = environment ?? ResourceCliEnvironment.Process;
        var datastore = DatastoreOption(root);
        root.Subcommands.Add(WriteCommand.Create(WriteMode.Apply, datastore, env));
        root.Subcommands.Add(WriteCommand.Create(WriteMode.Create, datastore, env));
        root.Subcommands.Add(WriteCommand.Create(WriteMode.Replace, datastore, env));
        root.Subcommands.Add(DeleteCommand.Create(datastore, env));
        root.Subcommands.Add(GetCommand.Create(datastore, env));
        root.Subcommands.Add(ValidateCommand.Create(datastore, env));
        return datastore;
    }

    /// <summary>The global <c>--datastore</c> option: the one another feature already added, else a new one.</summary>
    public static Option<string> DatastoreOption(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var datastore = root.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == DatastoreOptionName);
        if (datastore is null)
        {
            datastore = new Option<string>(DatastoreOptionName)
            {
                Description = "sqlite:PATH or etcd:URL[,URL] (else $TABBY_DATASTORE, else /etc/tabby/tabby.yaml, else sqlite:/var/lib/tabby/tabby.db)",
                Recursive = true,
                // Checked by the action, so a missing value exits 2 like any other bad usage.
                Arity = ArgumentArity.ZeroOrOne,
            };
            root.Options.Add(datastore);
        }
        return datastore;
    }

    /// <summary>The <c>-f</c> option every manifest-reading command shares.</summary>
    internal static Option<string[]> FileOption(string verb) => new("--filename", "-f")
    {
        Description = $"A manifest to {verb}: a YAML or JSON file, a directory (its .yaml, .yml and .json files, sorted), or - for stdin; repeatable",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>A hidden catch-all, so a stray word or unknown option reaches the action and exits 2 with a hint rather than 1.</summary>
    internal static Argument<string[]> StrayArgument() => new("stray") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };

    /// <summary>The manifests named by <c>-f</c>, refusing a command with none or with stray words.</summary>
    internal static IReadOnlyList<string> Files(CommandContext context, Option<string[]> option, Argument<string[]> stray)
    {
        if (context.ParseResult.GetValue(stray) is [var first, ..])
        {
            throw new CliUsageException(first.StartsWith('-')
                ? $"unknown option '{first}' (see 'tabby {context.ParseResult.CommandResult.Command.Name} --help')"
                : $"unexpected argument '{first}'; name manifests with -f (e.g. -f {first})");
        }
        var files = context.Value(option) ?? [];
        return files.Length > 0 ? files : throw new CliUsageException("-f is required: a file, a directory, or - for stdin");
    }
}
