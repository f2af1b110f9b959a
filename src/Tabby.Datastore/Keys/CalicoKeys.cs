namespace Tabby.Datastore;

/// <summary>Calico's IPAM key layout, so Tabby and Calico tooling read the same keys.</summary>
/// <remarks>v3 resource keys are <see cref="Tabby.Api.Kinds.ResourceKey"/>'s alone (<c>ResourceKey.PathOf</c>, <c>PrefixOf</c>, <c>TrySplit</c>).</remarks>
public static class CalicoKeys
{
    /// <summary>The root of IPAM's keys (Calico's v1 model, still used by its etcd backend).</summary>
    public const string IpamRoot = "/calico/ipam/v2/";

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
        // A slash would add a level to the key, so it would read back as a different host or handle.
        if (string.IsNullOrEmpty(value) || value.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} '{value}' must be non-empty and contain no '/'", what);
        }
    }
}
