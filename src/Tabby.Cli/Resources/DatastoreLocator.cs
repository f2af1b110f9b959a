using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tabby.Cli.Resources;

/// <summary>Picks the datastore: <c>--datastore</c>, else <c>TABBY_DATASTORE</c>, else <c>/etc/tabby/tabby.yaml</c>, else the SQLite default.</summary>
public static class DatastoreLocator
{
    /// <exception cref="CliUsageException">The config file exists but cannot be read or has no usable <c>datastore</c>.</exception>
    public static DatastoreSetting Resolve(string? option, ResourceCliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!string.IsNullOrWhiteSpace(option))
            return new DatastoreSetting(option.Trim(), "--datastore");
        var variable = environment.GetVariable(ResourceCliEnvironment.DatastoreVariable);
        if (!string.IsNullOrWhiteSpace(variable))
            return new DatastoreSetting(variable.Trim(), ResourceCliEnvironment.DatastoreVariable);
        if (File.Exists(environment.ConfigFile))
            return new DatastoreSetting(ReadConfigFile(environment.ConfigFile), environment.ConfigFile);
        return new DatastoreSetting(environment.DefaultDatastore, "the default");
    }

    private static string ReadConfigFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {e.Message}", e);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new CliUsageException($"{path}:{e.Start.Line}: {e.Message}", e);
        }
        // Other parts of Tabby may keep their settings in the same file, so keys other than datastore are left alone.
        if (stream.Documents.Count > 0
            && stream.Documents[0].RootNode is YamlMappingNode mapping
            && mapping.Children.TryGetValue(new YamlScalarNode("datastore"), out var value))
        {
            if (value is YamlScalarNode { Value: { Length: > 0 } s })
                return s.Trim();
            throw new CliUsageException($"{path}:{value.Start.Line}: datastore: expected 'sqlite:PATH' or 'etcd:URL[,URL]'");
        }
        throw new CliUsageException($"{path}: no 'datastore:' setting (expected e.g. 'datastore: sqlite:/var/lib/tabby/tabby.db')");
    }
}
