using System.Net;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Rib;

/// <summary>Peers and attribute sets shared by the RIB tests.</summary>
internal static class RibFixtures
{
    public const uint LocalAs = 65000;

    public static RibPeer Ibgp(string address, uint routerId, bool client = false) =>
        new(IPAddress.Parse(address), routerId, LocalAs, PeerKind.Internal, client);

    public static RibPeer Ebgp(string address, uint routerId, uint asn) =>
        new(IPAddress.Parse(address), routerId, asn, PeerKind.External);

    public static PathAttributes Attrs(params uint[] path) => new()
    {
        Origin = BgpOrigin.Igp,
        AsPath = AsPath.Sequence(path),
        NextHop = IPAddress.Parse("192.0.2.1"),
    };

    public static IpPrefix P(string text) => IpPrefix.Parse(text);
}
