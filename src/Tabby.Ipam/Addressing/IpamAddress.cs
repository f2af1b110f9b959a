using System.Diagnostics.CodeAnalysis;
using Tabby.Core.Addressing;

namespace Tabby.Ipam.Addressing;

/// <summary>Address arithmetic IPAM needs: parsing single addresses, ordinals within blocks, block sizes.</summary>
public static class IpamAddress
{
    /// <summary>Parses one address ("10.0.0.5", "fd00::5") strictly, as Go's net.ParseIP does, into a host prefix.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpPrefix address, [NotNullWhen(false)] out string? error)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text) || text.Contains('/', StringComparison.Ordinal))
        {
            error = $"'{text}' is not an IP address";
            return false;
        }

        var full = text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        if (!IpPrefix.TryParse(full.AsSpan(), out address, out _))
        {
            error = $"'{text}' is not an IP address";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The number of addresses in a prefix, as a 128-bit count.</summary>
    public static UInt128 Count(IpPrefix prefix) => UInt128.One << (prefix.MaxLength - prefix.Length);

    /// <summary>The address at <paramref name="ordinal"/> within <paramref name="block"/>.</summary>
    public static IpPrefix Nth(IpPrefix block, int ordinal) => block.IsIPv6
        ? IpPrefix.V6(block.Bits + (UInt128)(uint)ordinal, 128)
        : IpPrefix.V4(block.V4Bits + (uint)ordinal, 32);

    /// <summary>The ordinal of <paramref name="address"/> within <paramref name="block"/>, or -1 when outside it.</summary>
    public static int OrdinalOf(IpPrefix block, IpPrefix address) =>
        block.Contains(address) && address.IsHost ? (int)(address.Bits - block.Bits) : -1;

    /// <summary>The block of <paramref name="blockSize"/> bits that holds <paramref name="address"/>.</summary>
    public static IpPrefix BlockOf(IpPrefix address, int blockSize) => IpPrefix.Masked(address.Address, blockSize);

    /// <summary>The <paramref name="index"/>th block of <paramref name="blockSize"/> bits inside <paramref name="pool"/>.</summary>
    public static IpPrefix BlockAt(IpPrefix pool, int blockSize, UInt128 index)
    {
        var step = UInt128.One << (pool.MaxLength - blockSize);
        return pool.IsIPv6
            ? IpPrefix.V6(pool.Bits + (index * step), blockSize)
            : IpPrefix.V4((uint)(pool.Bits + (index * step)), blockSize);
    }

    /// <summary>"ipv4" or "ipv6", as the key layout spells families.</summary>
    public static string FamilyName(bool isV6) => isV6 ? "ipv6" : "ipv4";
}
