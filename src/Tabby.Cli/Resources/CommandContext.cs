using System.CommandLine;
using Tabby.Datastore;
using Tabby.Datastore.Sqlite;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>What a resource command's action works with: its parse result, output writers, environment and the datastore choice.</summary>
public sealed class CommandContext(ParseResult parseResult, Option<string> datastoreOption, ResourceCliEnvironment environment)
{
    public ParseResult ParseResult { get; } = parseResult;

    public ResourceCliEnvironment Environment { get; } = environment;

    public TextWriter Output => ParseResult.InvocationConfiguration.Output;

    public TextWriter Error => ParseResult.InvocationConfiguration.Error;

    /// <summary>Set once <see cref="OpenStore"/> or <see cref="OpenExistingStore"/> has chosen, so errors can say which setting named the datastore.</summary>
    public DatastoreSetting? Datastore { get; private set; }

    /// <summary>An option's value; an option given without one is a usage error rather than silently its default.</summary>
    public T? Value<T>(Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (ParseResult.GetResult(option) is { Implicit: false, Tokens.Count: 0 } && typeof(T) != typeof(bool))
            throw new CliUsageException($"{option.Name} needs a value");
        return ParseResult.GetValue(option);
    }

    /// <summary>Opens the datastore for a command that writes: a SQLite file that does not exist yet is created (its directory is not).</summary>
    public ResourceClient OpenStore() => Open(createIfMissing: true);

    /// <summary>Opens the datastore for a command that only reads or removes: a missing SQLite file is an error, never created.</summary>
    /// <exception cref="DatastoreMissingException">The SQLite file does not exist.</exception>
    public ResourceClient OpenExistingStore() => Open(createIfMissing: false);

    private ResourceClient Open(bool createIfMissing)
    {
        var setting = DatastoreLocator.Resolve(Value(datastoreOption), Environment);
        Datastore = setting;
        try
        {
            DatastoreConnectionString.Parse(setting.ConnectionString);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"{e.Message} (from {setting.Origin})", e);
        }
        return new ResourceClient(DatastoreConnectionString.Open(setting.ConnectionString, sqliteOptions: new SqliteDatastoreOptions { CreateIfMissing = createIfMissing }));
    }
}
