using System.Globalization;

namespace Tabby.Cni.Config;

/// <summary>
/// The MTU a new workload's veth gets: the network config's <c>mtu</c>, else what the agent wrote (the VXLAN device's
/// when an overlay is in use, as Felix writes /var/lib/calico/mtu for Calico's plugin), else the kernel's default.
/// </summary>
public static class WorkloadMtu
{
    /// <summary>Where `tabby node run` writes the MTU for workloads.</summary>
    public const string DefaultFile = "/var/lib/tabby/mtu";

    /// <returns>The MTU, or 0 for the kernel's default.</returns>
    public static int Resolve(NetConf conf)
    {
        ArgumentNullException.ThrowIfNull(conf);
        if (conf.Mtu > 0)
            return conf.Mtu;
        try
        {
            // A file that is missing, unreadable or not a sane MTU means "no advice", never a failed ADD.
            return int.TryParse(File.ReadAllText(conf.MtuFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) && mtu is >= 68 and <= 65535 ? mtu : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
