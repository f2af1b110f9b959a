using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tabby.Bgp.Config;
using Tabby.Bgp.Policy;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>The speaker's per-neighbour state: the session, its RIB identity, and the writer that exports, packs and sends to it.</summary>
/// <remarks>
/// Fields above the writer are owned by the RIB loop. The writer task owns the exporter (and so the
/// Adj-RIB-Out) and drains the export queue in order: it batches every change queued since its last
/// send into one packing pass, so a slow peer gets fewer, fuller UPDATEs instead of stalling the RIB.
/// Anything that goes wrong in the writer resets the session (the peer then gets a fresh table on the
/// next one); the writer itself never dies while the peer is configured, and the speaker awaits it on removal.
/// </remarks>
internal sealed partial class PeerRuntime
{
    private const int MaxMessagesPerSend = 64;

    /// <summary>Withdrawals held for the next change list while a backlog lasts: about four full UPDATEs of /32s.</summary>
    private const int WithdrawalsHeld = 3200;
    private readonly Channel<ExportWork> _work = Channel.CreateUnbounded<ExportWork>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ILogger _logger;
    private int _advertised;

    public PeerRuntime(BgpPeerConfig config, BgpSession session, ILogger logger)
    {
        Config = config;
        ImportPolicy = config.Import;
        ExportPolicy = config.Export;
        Session = session;
        _logger = logger;
        Writer = Task.Run(WriteAsync);
    }

    public BgpPeerConfig Config { get; }
    public BgpSession Session { get; }
    public Task Writer { get; }

    /// <summary>The import policy now in force (the configured one until the speaker is told otherwise).</summary>
    public IRoutePolicy? ImportPolicy { get; set; }

    /// <summary>The export policy the next session's exporter starts with.</summary>
    public IRoutePolicy? ExportPolicy { get; set; }

    /// <summary>Set while Established (and kept while its routes are stale after a restart).</summary>
    public RibPeer? RibPeer { get; set; }

    public NegotiatedSession? Negotiated { get; set; }
    public BgpCodecContext Context { get; set; } = BgpCodecContext.Default;
    public bool Established { get; set; }

    /// <summary>Per-family counts and graceful-restart state; replaced as a whole (never mutated in shape) so status can read it from any thread.</summary>
    public IReadOnlyList<PeerFamily> Families { get; set; } = [];

    /// <summary>Counts restarts so an old restart timer cannot sweep a newer session's routes.</summary>
    public int RestartGeneration { get; set; }

    public ITimer? RestartTimer { get; set; }

    public int StaleGeneration { get; set; }

    public ITimer? StaleTimer { get; set; }

    /// <summary>Prefixes announced by the peer over the speaker's lifetime.</summary>
    public long UpdatesReceived { get; set; }

    /// <summary>Prefixes in the Adj-RIB-Out as of the writer's last send.</summary>
    public int PrefixesAdvertised => Volatile.Read(ref _advertised);

    public PeerFamily? Family(BgpFamily family)
    {
        foreach (var f in Families)
        {
            if (f.Family == family)
                return f;
        }
        return null;
    }

    /// <summary>The family's state, created when the peer's first route of a family not negotiated in this session arrives (it cannot, but a stale one may remain).</summary>
    public PeerFamily FamilyOrAdd(BgpFamily family)
    {
        if (Family(family) is { } existing)
            return existing;
        var added = new PeerFamily(family);
        Families = [.. Families, added];
        return added;
    }

    public void Post(ExportWork work) => _work.Writer.TryWrite(work);

    public void Complete() => _work.Writer.TryComplete();

    private async Task WriteAsync()
    {
        using var scope = _logger.BeginScope("peer {Peer}", Config.ToString());
        var reader = _work.Reader;
        PeerExporter? exporter = null;
        var context = BgpCodecContext.Default;
        var batch = new UpdateBatch();
        IReadOnlyList<BgpFamily> endOfRibPending = [];
        // As in the RIB loop: the first UPDATE after a quiet spell goes out on its own, at once; while a backlog
        // lasts, a send carries up to MaxMessagesPerSend.
        var limit = 1;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var messages = new List<byte[]>();
            try
            {
                while (messages.Count < limit && reader.TryRead(out var work))
                {
                    switch (work)
                    {
                        case ExportWork.Initial initial:
                            exporter = initial.Exporter;
                            context = initial.Context;
                            messages.Clear();
                            batch.Clear();
                            Export(exporter, initial.Table, batch, messages, context);
                            // End-of-RIB after the initial table, even an empty one (RFC 4724 4.2): a restarting
                            // peer's cue to sweep what we no longer have.
                            messages.AddRange(initial.Families.Select(BgpUpdatePacker.EndOfRib));
                            endOfRibPending = initial.Families;
                            break;
                        case ExportWork.Changes changes when exporter is not null:
                            Export(exporter, changes.List, batch, messages, context, holdWithdrawals: reader.TryPeek(out _));
                            break;
                        case ExportWork.Refresh refresh when exporter is not null:
                            Export(exporter, refresh.Table, batch, messages, context);
                            break;
                        case ExportWork.Reconfigure reconfigure when exporter is not null:
                            exporter.Policy = reconfigure.Export;
                            Export(exporter, reconfigure.Table, batch, messages, context);
                            foreach (var family in reconfigure.RefreshFamilies)
                                messages.Add(BgpMessageEncoder.Encode(new BgpRouteRefresh(family), context));
                            break;
                        case ExportWork.Down:
                            exporter = null;
                            messages.Clear();
                            batch.Clear();
                            endOfRibPending = [];
                            break;
                    }
                }
                // Nothing waits for a later list: what is held goes with this send.
                if (!batch.IsEmpty && exporter is not null)
                    batch.PackInto(messages, context);
                limit = reader.TryPeek(out _) ? MaxMessagesPerSend : 1;
                Volatile.Write(ref _advertised, exporter?.Out.AdvertisedCount ?? 0);
                if (exporter is not null)
                {
                    foreach (var family in Families)
                        Volatile.Write(ref family.PrefixesOut, exporter.Out.AdvertisedIn(family.Family));
                }
                if (messages.Count == 0)
                    continue;
                await Session.SendAsync(messages).ConfigureAwait(false);
                foreach (var family in endOfRibPending)
                {
                    if (Family(family) is { } state)
                        state.EndOfRibSent = true;
                }
                endOfRibPending = [];
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The session notices the dead connection itself and gets a fresh initial table after it comes back.
                Log.SendFailed(_logger, e.Message);
            }
            catch (Exception e)
            {
                // Anything else is ours: this peer's Adj-RIB-Out can no longer be trusted. Reset the session so it
                // starts over with a full table, and keep the writer alive for that next session.
                Log.WriterFailed(_logger, e);
                exporter = null;
                batch.Clear();
                endOfRibPending = [];
                Session.Reset($"export failed: {e.Message}");
            }
        }
    }

    /// <summary>Exports one coalesced change list (or a table) and packs it: a list never names a prefix twice, so its batch needs no ordering.</summary>
    /// <param name="holdWithdrawals">More lists are queued: a batch of withdrawals alone is held for them until it fills
    /// several UPDATEs. The RIB flushes every 1,000 changes, 1.2 UPDATEs of /32 withdrawals, so packing each list on its own
    /// sent a withdrawal burst in twice as many messages as it needs. Holding is safe: a later list's announcements
    /// are packed after the held withdrawals, the order in which they happened, and a withdrawn prefix is not
    /// withdrawn again. Announcements are never held.</param>
    private static void Export(PeerExporter exporter, RouteChange[] changes, UpdateBatch batch, List<byte[]> messages, BgpCodecContext context, bool holdWithdrawals = false)
    {
        foreach (ref readonly var change in changes.AsSpan())
            exporter.Export(change, batch);
        exporter.ResetCache();
        if (batch.IsEmpty || (holdWithdrawals && !batch.HasAnnouncements && batch.Withdrawals < WithdrawalsHeld))
            return;
        batch.PackInto(messages, context);
    }
}
