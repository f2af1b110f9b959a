using Tabby.Datastore.Etcd;
using Tabby.Datastore.Sqlite;

namespace Tabby.Datastore;

/// <summary>Parses <c>sqlite:PATH</c> and <c>etcd:URL[,URL]</c> and opens the datastore they name.</summary>
public static class DatastoreConnectionString
{
    /// <summary>The default when nothing else is configured.</summary>
    public const string Default = "sqlite:/var/lib/tabby/tabby.db";

    /// <summary>Opens the datastore named by <paramref name="connectionString"/>; each backend takes only its own options.</summary>
    /// <exception cref="FormatException">The string is not <c>sqlite:PATH</c> or <c>etcd:URL[,URL]</c>.</exception>
    /// <exception cref="DatastoreUnavailableException">A SQLite file cannot be opened.</exception>
    /// <exception cref="DatastoreMissingException">A SQLite file does not exist and <paramref name="sqliteOptions"/> say not to create it.</exception>
    public static IDatastore Open(string connectionString, EtcdOptions? etcdOptions = null, SqliteDatastoreOptions? sqliteOptions = null)
    {
        var (kind, target) = Parse(connectionString);
        return kind == "sqlite"
            ? SqliteDatastore.Open(target[0], sqliteOptions)
            : EtcdDatastore.Connect([.. target.Select(t => new Uri(t))], etcdOptions);
    }

    /// <summary>Splits a connection string into its backend ("sqlite" or "etcd") and its path or absolute http(s) URLs.</summary>
    public static (string Kind, IReadOnlyList<string> Targets) Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var colon = connectionString.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : connectionString[..colon].Trim().ToLowerInvariant();
        var rest = colon < 0 ? "" : connectionString[(colon + 1)..].Trim();
        switch (kind)
        {
            case "sqlite" when rest.Length > 0:
                return (kind, [rest]);
            case "etcd" when rest.Length > 0:
                var urls = new List<string>();
                foreach (var part in rest.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    // A bare host:port means plain http, as etcdctl assumes.
                    var text = part.Contains("://", StringComparison.Ordinal) ? part : "http://" + part;
                    if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
                    {
                        throw new FormatException($"'{part}' in datastore '{connectionString}' is not an etcd URL like http://10.0.0.1:2379");
                    }

                    urls.Add(url.ToString().TrimEnd('/'));
                }

                if (urls.Count == 0)
                {
                    break;
                }

                return (kind, urls);
        }

        throw new FormatException($"datastore '{connectionString}' is not 'sqlite:PATH' or 'etcd:URL[,URL...]'");
    }
}
