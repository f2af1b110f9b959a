using Tabby.Core.Addressing;
using Tabby.Datastore;

namespace Tabby.Ipam.Store;

/// <summary>Calico's IPAM key layout, both ways (building is <see cref="CalicoKeys"/>'s; reading keys back is here).</summary>
public static class IpamKeys
{
    /// <summary>The cluster's IPAM settings.</summary>
    public const string Config = CalicoKeys.IpamRoot + "config";

    /// <summary>Every handle.</summary>
    public const string HandlePrefix = CalicoKeys.IpamRoot + "handle/";

    /// <summary>Every host affinity.</summary>
    public const string HostPrefix = CalicoKeys.IpamRoot + "host/";

    public static string Block(IpPrefix cidr) => CalicoKeys.IpamBlock(cidr.ToString());

    public static string Affinity(string host, IpPrefix cidr) => CalicoKeys.IpamAffinity(host, cidr.ToString());

    public static string Handle(string handleId) => CalicoKeys.IpamHandle(handleId);

    /// <summary>The affinities of one host in one family.</summary>
    public static string AffinityPrefix(string host, bool isV6) => HostPrefix + host + "/" + (isV6 ? "ipv6" : "ipv4") + "/block/";

    /// <summary>The blocks of one family, or of both when <paramref name="isV6"/> is null.</summary>
    public static string BlockPrefix(bool? isV6) => isV6 is { } v6 ? CalicoKeys.IpamBlockPrefix(v6 ? "ipv6" : "ipv4") : CalicoKeys.IpamRoot + "assignment/";

    /// <summary>Reads <c>.../host/&lt;host&gt;/ipv4/block/10.0.0.0-26</c> back into host and block.</summary>
    public static bool TryParseAffinity(string key, out string host, out IpPrefix cidr)
    {
        host = "";
        cidr = default;
        if (!key.StartsWith(HostPrefix, StringComparison.Ordinal))
            return false;
        var parts = key[HostPrefix.Length..].Split('/');
        if (parts.Length != 4 || parts[2] != "block" || parts[1] is not ("ipv4" or "ipv6") || parts[0].Length == 0)
            return false;
        host = parts[0];
        return TryParseCidr(parts[3], out cidr);
    }

    /// <summary>Reads the block part of a block key back into a prefix.</summary>
    public static bool TryParseBlock(string key, out IpPrefix cidr)
    {
        cidr = default;
        var slash = key.LastIndexOf('/');
        return key.StartsWith(BlockPrefix(null), StringComparison.Ordinal) && slash >= 0 && TryParseCidr(key[(slash + 1)..], out cidr);
    }

    /// <summary>The handle id of a handle key.</summary>
    public static string? HandleIdOf(string key) =>
        key.StartsWith(HandlePrefix, StringComparison.Ordinal) && key.Length > HandlePrefix.Length ? key[HandlePrefix.Length..] : null;

    private static bool TryParseCidr(string text, out IpPrefix cidr)
    {
        // Only the last '-' separates the length: IPv6 text has none, IPv4 none either.
        var dash = text.LastIndexOf('-');
        cidr = default;
        return dash > 0 && IpPrefix.TryParse((text[..dash] + "/" + text[(dash + 1)..]).AsSpan(), out cidr, out _);
    }
}
