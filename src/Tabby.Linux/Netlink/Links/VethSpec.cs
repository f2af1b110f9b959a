using Tabby.Core.Addressing;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Netlink.Links;

/// <summary>A veth pair to create: this end in the client's namespace, the peer directly in another one if given.</summary>
public sealed record VethSpec(string Name, string PeerName)
{
    /// <summary>Where the peer end is born; null keeps both ends here. Creating it there avoids a window where a workload's interface sits in the host namespace.</summary>
    public NetworkNamespace? PeerNamespace { get; init; }

    /// <summary>This end's MAC, set after creation; for a workload's host side, ee:ee:ee:ee:ee:ee.</summary>
    public MacAddress? Mac { get; init; }

    public MacAddress? PeerMac { get; init; }
    public int? Mtu { get; init; }

    /// <summary>Bring this end up once configured (the peer's state belongs to whoever owns its namespace).</summary>
    public bool Up { get; init; } = true;
}
