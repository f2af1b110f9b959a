using System.Globalization;
using Tabby.Cni.Workloads;

namespace Tabby.Cni.Ipam;

/// <summary>The owner attributes recorded with each allocation: Calico's node, timestamp, pod and namespace, plus the network.</summary>
public static class IpamAttributes
{
    public const string Node = "node";
    public const string Timestamp = "timestamp";
    public const string Pod = "pod";
    public const string Namespace = "namespace";

    /// <summary>Tabby's addition: GC releases only its own network's allocations even when network names share a prefix.</summary>
    public const string Network = "network";

    public static Dictionary<string, string> For(WorkloadIdentity identity, string network)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Node] = identity.Node,
            // Calico writes Go's time.Time.String() of UTC now.
            [Timestamp] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff '+0000 UTC'", CultureInfo.InvariantCulture),
            [Network] = network,
        };
        if (identity.IsKubernetes)
        {
            attributes[Pod] = identity.Pod!;
            attributes[Namespace] = identity.Namespace;
        }
        return attributes;
    }
}
