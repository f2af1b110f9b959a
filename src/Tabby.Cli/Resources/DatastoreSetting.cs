namespace Tabby.Cli.Resources;

/// <summary>The datastore a command uses and where that choice came from, so an error can say which setting to fix.</summary>
/// <param name="ConnectionString"><c>sqlite:PATH</c> or <c>etcd:URL[,URL]</c>.</param>
/// <param name="Origin">For people: <c>--datastore</c>, <c>TABBY_DATASTORE</c>, the config file, or "the default".</param>
public sealed record DatastoreSetting(string ConnectionString, string Origin);
