namespace Tabby.Cni.Config;

/// <summary>Which node a workload is on: the configured nodename, else the name the agent wrote, else the hostname (Calico's order).</summary>
public static class NodeNames
{
    /// <summary>Where `tabby node run` writes the node's name.</summary>
    public const string DefaultFile = "/var/lib/tabby/nodename";

    public static string Resolve(NetConf conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        if (!string.IsNullOrWhiteSpace(conf.Nodename))
            return conf.Nodename.Trim();
        if (ReadFile(conf.NodenameFile) is { } fromFile)
            return fromFile;
        // Calico lowercases the hostname: node names are DNS subdomains.
        return Environment.MachineName.Trim().ToLowerInvariant();
    }

    private static string? ReadFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
