namespace Tabby.Datastore;

/// <summary>Calico's etcd key layout, so Tabby and Calico tooling read the same keys.</summary>
public static class CalicoKeys
{
    /// <summary>The root of every v3 resource key.</summary>
    public const string ResourceRoot = "/calico/resources/v3/projectcalico.org/";

    /// <summary>The root of IPAM's keys (Calico's v1 model, still used by its etcd backend).</summary>
    public const string IpamRoot = "/calico/ipam/v2/";

    /// <summary><c>/calico/resources/v3/projectcalico.org/&lt;plural&gt;[/&lt;namespace&gt;]/&lt;name&gt;</c>.</summary>
    public static string Resource(string plural, string? ns, string name)
    {
        CheckSegment(plural, nameof(plural));
        CheckSegment(name, nameof(name));
        if (string.IsNullOrEmpty(ns))
        {
            return ResourceRoot + plural + "/" + name;
        }

        CheckSegment(ns, nameof(ns));
        return ResourceRoot + plural + "/" + ns + "/" + name;
    }

    /// <summary>The prefix of every resource of a kind, or of a kind within one namespace.</summary>
    public static string ResourcePrefix(string plural, string? ns = null)
    {
        CheckSegment(plural, nameof(plural));
        if (string.IsNullOrEmpty(ns))
        {
            return ResourceRoot + plural + "/";
        }

        CheckSegment(ns, nameof(ns));
        return ResourceRoot + plural + "/" + ns + "/";
    }

    /// <summary>Splits a resource key into plural, namespace (null for cluster-scoped) and name.</summary>
    public static bool TryParseResource(string key, out string plural, out string? ns, out string name)
    {
        plural = name = "";
        ns = null;
        if (!key.StartsWith(ResourceRoot, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = key[ResourceRoot.Length..].Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            return false;
        }

        plural = parts[0];
        ns = parts.Length == 3 ? parts[1] : null;
        name = parts[^1];
        return true;
    }

    /// <summary>An IPAM block: <c>/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-26</c>.</summary>
    public static string IpamBlock(string cidr) => IpamRoot + "assignment/" + Family(cidr) + "/block/" + cidr.Replace('/', '-');

    /// <summary>The prefix of every IPAM block of a family ("ipv4" or "ipv6").</summary>
    public static string IpamBlockPrefix(string family) => IpamRoot + "assignment/" + family + "/block/";

    /// <summary>A host's affinity to a block: <c>/calico/ipam/v2/host/&lt;host&gt;/ipv4/block/10.0.0.0-26</c>.</summary>
    public static string IpamAffinity(string host, string cidr)
    {
        CheckSegment(host, nameof(host));
        return IpamRoot + "host/" + host + "/" + Family(cidr) + "/block/" + cidr.Replace('/', '-');
    }

    /// <summary>An IPAM handle: <c>/calico/ipam/v2/handle/&lt;handle&gt;</c>.</summary>
    public static string IpamHandle(string handle)
    {
        CheckSegment(handle, nameof(handle));
        return IpamRoot + "handle/" + handle;
    }

    private static string Family(string cidr) => cidr.Contains(':', StringComparison.Ordinal) ? "ipv6" : "ipv4";

    private static void CheckSegment(string value, string what)
    {
        // A slash would silently shift the namespace/name split when the key is parsed back.
        if (string.IsNullOrEmpty(value) || value.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} '{value}' must be non-empty and contain no '/'", what);
        }
    }
}
