using System.Globalization;
using System.Security.Cryptography;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Namespaces;

/// <summary>The namespaces one run creates, all named with a run-unique prefix, and removed together even after a failure.</summary>
/// <remarks>
/// Names are "tby-PID-TAG-name": the project prefix marks them as ours, the PID lets a later run
/// tell a crashed run's leftovers (PID gone) from a live neighbour's (PID alive), and the random
/// tag keeps two sets in one process apart.
/// </remarks>
public sealed class NamespaceSet : IDisposable
{
    /// <summary>Every namespace Tabby's tests, demo and benchmarks create starts with this.</summary>
    public const string ProjectPrefix = "tby-";

    private readonly List<NetworkNamespace> _created = [];
    private readonly Lock _lock = new();

    public NamespaceSet(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        Prefix = $"{ProjectPrefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{purpose}{tag}-";
    }

    /// <summary>The prefix of every namespace in this set, e.g. "tby-4242-demo1a2b-".</summary>
    public string Prefix { get; }

    public IReadOnlyList<NetworkNamespace> Namespaces
    {
        get
        {
            lock (_lock)
                return [.. _created];
        }
    }

    /// <summary>Creates PREFIX+name and keeps its handle; the set deletes it on dispose.</summary>
    public NetworkNamespace Create(string name)
    {
        var ns = NetworkNamespace.Create(Prefix + name);
        lock (_lock)
            _created.Add(ns);
        return ns;
    }

    /// <summary>Deletes every namespace with this set's prefix (even ones created by a helper process) and closes the handles.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var ns in _created)
                ns.Dispose();
            _created.Clear();
        }
        DeleteWithPrefix(Prefix);
    }

    /// <summary>Deletes namespaces left by runs whose process is gone; returns their names. Live runs' namespaces are untouched.</summary>
    public static IReadOnlyList<string> SweepStale()
    {
        var swept = new List<string>();
        foreach (var name in NetworkNamespace.ListNamed())
        {
            if (!name.StartsWith(ProjectPrefix, StringComparison.Ordinal))
                continue;
            var rest = name.AsSpan(ProjectPrefix.Length);
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            if (Directory.Exists($"/proc/{pid}"))
                continue;
            TryDelete(name);
            swept.Add(name);
        }
        return swept;
    }

    /// <summary>Deletes every named namespace that starts with <paramref name="prefix"/>, which must be a Tabby prefix.</summary>
    public static IReadOnlyList<string> DeleteWithPrefix(string prefix)
    {
        if (!prefix.StartsWith(ProjectPrefix, StringComparison.Ordinal) || prefix.Length <= ProjectPrefix.Length)
            throw new ArgumentException($"'{prefix}' is not a Tabby namespace prefix (they start with '{ProjectPrefix}').", nameof(prefix));
        var deleted = new List<string>();
        foreach (var name in NetworkNamespace.ListNamed())
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                TryDelete(name);
                deleted.Add(name);
            }
        }
        return deleted;
    }

    private static void TryDelete(string name)
    {
        try
        {
            NetworkNamespace.Delete(name);
        }
        catch (NamespaceException)
        {
            // Gone already, or raced with another cleaner: either way it is no longer ours to remove.
        }
    }
}
