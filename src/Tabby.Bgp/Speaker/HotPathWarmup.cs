using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Tabby.Bgp.Config;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>Runs one small table through decode, Loc-RIB, export and packing when the speaker starts.</summary>
/// <remarks>
/// The shipped executable is NativeAOT, so nothing is compiled at run time; what the first UPDATE of a burst would
/// still do once is set up: static constructors, interface-dispatch caches, lazily built generic lookups, and the
/// first touch of the code and data pages on the way. Run from `dotnet tabby.dll` (a JIT), it also compiles the
/// framework's generics over Tabby's value types before any peer is up; measured there, about 120 such methods were
/// otherwise compiled while the first UPDATE was in flight, tens of milliseconds before the first route could leave.
/// </remarks>
internal static class HotPathWarmup
{
    public static void Run(uint localAs)
    {
        var peer = new RibPeer(IPAddress.Parse("192.0.2.2"), 2, localAs, PeerKind.Internal, IsRouteReflectorClient: true);
        var other = new RibPeer(IPAddress.Parse("192.0.2.3"), 3, localAs, PeerKind.Internal, IsRouteReflectorClient: true);
        var attributes = new PathAttributes
        {
            Origin = BgpOrigin.Igp,
            AsPath = AsPath.Sequence(64512, 64513),
            NextHop = IPAddress.Parse("192.0.2.2"),
            MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::2")),
            Med = 1,
            LocalPref = 100,
            Communities = new ValueList<Community>([new Community(65000, 1), Community.NoExport]),
            LargeCommunities = new ValueList<LargeCommunity>([new LargeCommunity(65000, 1, 2)]),
            ClusterList = new ValueList<uint>([7]),
            OriginatorId = 9,
        };
        var v4 = new IpPrefix[40];
        for (var i = 0; i < v4.Length; i++)
            v4[i] = IpPrefix.V4(0xC6120000u + (uint)(i << 8), 24);
        var v6 = new[] { IpPrefix.Parse("2001:db8:1::/48") };
        foreach (var context in new[] { BgpCodecContext.Default, BgpCodecContext.TwoOctet, new BgpCodecContext(true, true) })
        {
            var messages = BgpUpdatePacker.PackAnnouncements(attributes, v4, context);
            messages.AddRange(BgpUpdatePacker.PackAnnouncements(attributes, v6, context));
            messages.AddRange(BgpUpdatePacker.PackWithdrawals(v4));
            messages.AddRange(BgpUpdatePacker.PackWithdrawals(v6));
            foreach (var message in messages)
                BgpMessageDecoder.Decode(message, context);
        }

        var rib = new LocRib();
        foreach (var prefix in v4)
            rib.Announce(peer, prefix, attributes);
        rib.Announce(peer, v6[0], attributes);
        rib.Announce(other, v4[0], attributes with { Med = 0 });
        var changes = rib.TakeRouteChanges();
        var families = new[] { new PeerFamily(BgpFamily.Ipv4Unicast), new PeerFamily(BgpFamily.Ipv6Unicast) };
        var exporter = new PeerExporter(new RouteReflectionRules(localAs, 1), localAs, other,
            new BgpPeerConfig(other.Address, localAs) { RouteReflectorClient = true },
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 179), families, NullLogger.Instance);
        var batch = new UpdateBatch();
        var output = new List<byte[]>();
        foreach (ref readonly var change in changes.AsSpan())
            exporter.Export(change, batch);
        batch.PackInto(output, BgpCodecContext.Default);
        foreach (var prefix in v4)
            rib.Withdraw(peer, prefix);
        rib.RemovePeer(other);
        foreach (ref readonly var change in rib.TakeRouteChanges().AsSpan())
            exporter.Export(change, batch);
        batch.PackInto(output, BgpCodecContext.Default);
    }
}
