using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Results;

/// <summary>An address with a prefix length as results carry it: host bits may be set ("10.1.0.5/16", Calico's block-masked addresses).</summary>
public readonly record struct CidrAddress(IPAddress Address, int Length)
{
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The single address as a /32 or /128: what a workload holds.</summary>
    public IpPrefix Host => IpPrefix.Host(Address);

    public static CidrAddress HostOf(IPAddress address) =>
        new(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);

    /// <summary>Parses "ADDRESS/LEN"; with <paramref name="lengthOptional"/>, a bare address means a host prefix.</summary>
    public static bool TryParse(string? text, bool lengthOptional, out CidrAddress value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        // IPAddress.TryParse takes inet_aton forms ("10.1") and scope IDs; a result's address is neither.
        if (!IPAddress.TryParse(addressText, out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 ? address.ScopeId != 0 : addressText.Count(c => c == '.') != 3))
            return false;
        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash < 0)
        {
            if (!lengthOptional)
                return false;
            value = new CidrAddress(address, max);
            return true;
        }
        var lengthText = text[(slash + 1)..];
        if (lengthText.Length is 0 or > 3 || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > max)
            return false;
        value = new CidrAddress(address, length);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Address}/{Length}");
}
