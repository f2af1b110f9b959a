using System.Net;

namespace Tabby.Linux.Netlink.Links;

/// <summary>An IP-in-IP tunnel device; needs the kernel's ipip driver, which some kernels lack.</summary>
public sealed record IpipSpec(string Name)
{
    public IPAddress? Local { get; init; }
    public IPAddress? Remote { get; init; }
    public int ParentIndex { get; init; }
}
