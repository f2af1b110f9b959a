using Tabby.Datastore;

namespace Tabby.Cli.Resources;

/// <summary>What the resource commands take from the process (environment, config file, stdin), replaceable in tests.</summary>
public sealed record ResourceCliEnvironment
{
    /// <summary>The environment variable that names the datastore when <c>--datastore</c> is not given.</summary>
    public const string DatastoreVariable = "TABBY_DATASTORE";

    /// <summary>The real process: its environment, <c>/etc/tabby/tabby.yaml</c> and its stdin.</summary>
    public static ResourceCliEnvironment Process { get; } = new();

    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The small YAML file holding <c>datastore: sqlite:/path</c>.</summary>
    public string ConfigFile { get; init; } = "/etc/tabby/tabby.yaml";

    public string DefaultDatastore { get; init; } = DatastoreConnectionString.Default;

    /// <summary>Where <c>-f -</c> reads from.</summary>
    public Func<TextReader> Stdin { get; init; } = () => Console.In;
}
