using System.Globalization;

namespace Tabby.Node.Dataplane;

/// <summary>
/// Tells the CNI plugin the MTU new workloads should get, as Felix writes /var/lib/calico/mtu for Calico's plugin: the
/// VXLAN device's while an overlay is in use (a full-size packet from a workload then still fits the tunnel), and
/// nothing otherwise (the file is removed; the plugin leaves the kernel's default). Written only when it changes,
/// through a temporary file and a rename, so the plugin never reads half a number.
/// </summary>
internal sealed class WorkloadMtuFile(string? path)
{
    private int? _current;
    private bool _known;

    /// <returns>The change made ("1450", "removed"), or null when there was nothing to do.</returns>
    /// <exception cref="IOException">The file could not be written or removed; the next call tries again.</exception>
    public string? Update(int? mtu)
    {
        if (path is null || (_known && _current == mtu))
            return null;
        if (mtu is { } value)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, value.ToString(CultureInfo.InvariantCulture) + "\n");
            File.Move(temporary, path, overwrite: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }
        else
        {
            (_current, _known) = (null, true);
            return null;
        }

        (_current, _known) = (mtu, true);
        return mtu?.ToString(CultureInfo.InvariantCulture) ?? "removed";
    }
}
