using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>What the RIB loop hands a peer's writer; processed in order, so an initial table always precedes the changes after it.</summary>
internal abstract record ExportWork
{
    /// <summary>A new session: export the whole table, then End-of-RIB for each family.</summary>
    public sealed record Initial(PeerExporter Exporter, RouteChange[] Table, IReadOnlyList<BgpFamily> Families, BgpCodecContext Context) : ExportWork;

    /// <summary>Best-path changes from one RIB flush, shared read-only by every peer.</summary>
    public sealed record Changes(RouteChange[] List) : ExportWork;

    /// <summary>The peer asked for one family again (ROUTE-REFRESH, RFC 2918): its best paths now, to send again.</summary>
    public sealed record Refresh(BgpFamily Family, RouteChange[] Table) : ExportWork;

    /// <summary>
    /// The peer's policies changed (soft reconfiguration, no reset): export the whole table again under the new export
    /// policy, so what it now rejects is withdrawn and what it now accepts is sent, then ask the peer for its routes
    /// again (ROUTE-REFRESH, RFC 2918) in <paramref name="RefreshFamilies"/> so they meet the new import policy.
    /// </summary>
    public sealed record Reconfigure(IRoutePolicy? Export, RouteChange[] Table, IReadOnlyList<BgpFamily> RefreshFamilies) : ExportWork;

    /// <summary>The session went down: forget the Adj-RIB-Out.</summary>
    public sealed record Down : ExportWork;
}
