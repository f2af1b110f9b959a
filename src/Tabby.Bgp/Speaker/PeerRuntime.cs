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
/// Fields above the writer are owned by the RIB loop. Whoever holds the turn owns the exporter (and so the
/// Adj-RIB-Out): the writer task, which drains the export queue in order and batches every change queued
/// since its last send into one packing pass, so a slow peer gets fewer, fuller UPDATEs instead of stalling
/// the RIB; or, for the first change list after a quiet spell, the RIB loop itself (<see cref="TryExportInline"/>).
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

    // The turn to touch the export state below: the writer's, or the RIB loop's for one change list while the writer idles.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly UpdateBatch _batch = new();
    private PeerExporter? _exporter;
    private BgpCodecContext _context = BgpCodecContext.Default;
    private IReadOnlyList<BgpFamily> _endOfRibPending = [];
    private int _advertised;

    // Work posted and not yet taken by the writer (the channel of a single reader cannot count).
    private int _queued;

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
    /// <remarks>An array, not a list behind an interface: <see cref="Family"/> runs for every UPDATE field, and enumerating
    /// an <c>IReadOnlyList</c> boxes an enumerator each time (once per prefix, that was about a sixth of the RIB loop's
    /// samples in a burst, with the collections its garbage caused).</remarks>
    public PeerFamily[] Families { get; set; } = [];

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

    public void Post(ExportWork work)
    {
        Interlocked.Increment(ref _queued);
        _work.Writer.TryWrite(work);
    }

    public void Complete() => _work.Writer.TryComplete();

    /// <summary>
    /// Exports, packs and sends one change list on the caller's thread (the RIB loop's) when the writer is idle with
    /// nothing queued; false when it is busy, and the caller posts the list instead.
    /// </summary>
    /// <remarks>
    /// The first route after a quiet spell otherwise waits for the writer's thread to be scheduled, which on busy
    /// cores took 1.5 to 4 ms, against some 50 µs for the export itself. Order is kept: the RIB loop is the only
    /// producer of this peer's work, so an empty queue with the turn free means everything posted before has been
    /// sent. A send that cannot complete at once finishes on its continuation, which gives the turn back.
    /// </remarks>
    public bool TryExportInline(ExportWork.Changes changes)
    {
        if (Volatile.Read(ref _queued) > 0 || !_turn.Wait(0))
            return false;
        // The turn is released on every path below except a send that pends, whose continuation releases it.
        var handedOff = false;
        try
        {
            // No logging scope here: it would be formatted for every quiet spell's first route, and only a failure
            // logs (FailedQuietly opens the peer's scope for that).
            var messages = new List<byte[]>();
            Apply(changes, messages, moreQueued: false);
            FinishBatch(messages);
            if (messages.Count == 0)
                return true;
            var send = Session.SendAsync(messages);
            if (send.IsCompleted)
            {
                Settle(send);
                return true;
            }
            handedOff = true;
            // Observed: AfterInlineSend settles the send and never throws, and the writer's last act is to wait for
            // the turn this continuation gives back, so a removed peer's writer ends only after it.
            _ = send.ContinueWith(static (t, state) => ((PeerRuntime)state!).AfterInlineSend(t), this, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return true;
        }
        catch (Exception e)
        {
            FailedQuietly(e);
            return true;
        }
        finally
        {
            if (!handedOff)
                _turn.Release();
        }
    }

    /// <summary>Settles an inline send that pended and gives the turn back; never throws.</summary>
    private void AfterInlineSend(Task send)
    {
        try
        {
            Settle(send);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Records a finished send, or observes and handles its failure; never throws.</summary>
    private void Settle(Task send)
    {
        if (send.Exception is { } failed)
            FailedQuietly(failed.GetBaseException());
        else
            Sent();
    }

    /// <summary>
    /// <see cref="Failed"/> for the inline export, under the peer's logging scope, which that path does not open
    /// otherwise; it must not throw, so a failure of the handling itself (a logger's) is dropped.
    /// </summary>
    private void FailedQuietly(Exception e)
    {
        try
        {
            using var scope = _logger.BeginScope("peer {Peer}", Config.ToString());
            Failed(e);
        }
        catch (Exception)
        {
            // Nothing left to tell: the session's own reset or the next send will show the trouble.
        }
    }

    private async Task WriteAsync()
    {
        using var scope = _logger.BeginScope("peer {Peer}", Config.ToString());
        var reader = _work.Reader;
        // As in the RIB loop: the first UPDATE after a quiet spell goes out on its own, at once; while a backlog
        // lasts, a send carries up to MaxMessagesPerSend.
        var limit = 1;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _turn.WaitAsync().ConfigureAwait(false);
            try
            {
                var messages = new List<byte[]>();
                while (messages.Count < limit && reader.TryRead(out var work))
                {
                    Interlocked.Decrement(ref _queued);
                    Apply(work, messages, moreQueued: reader.TryPeek(out _));
                }
                FinishBatch(messages);
                limit = reader.TryPeek(out _) ? MaxMessagesPerSend : 1;
                if (messages.Count == 0)
                    continue;
                var send = Session.SendAsync(messages);
                if (send.IsCompleted)
                    await send.ConfigureAwait(false);
                else
                    // A send that had to wait completes on whichever thread saw the socket writable, an event thread
                    // when completions run inline (InlineSocketCompletions): packing the next batch belongs on the pool.
                    await send.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                Sent();
            }
            catch (Exception e)
            {
                Failed(e);
            }
            finally
            {
                _turn.Release();
            }
        }
        // An inline export may still be sending: the writer is done when that is.
        await _turn.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>Applies one piece of work to the Adj-RIB-Out, adding what it sends to <paramref name="messages"/>. Holds the turn.</summary>
    private void Apply(ExportWork work, List<byte[]> messages, bool moreQueued)
    {
        switch (work)
        {
            case ExportWork.Initial initial:
                _exporter = initial.Exporter;
                _context = initial.Context;
                messages.Clear();
                _batch.Clear();
                Export(_exporter, initial.Table, _batch, messages, _context);
                // End-of-RIB after the initial table, even an empty one (RFC 4724 4.2): a restarting
                // peer's cue to sweep what we no longer have.
                messages.AddRange(initial.Families.Select(BgpUpdatePacker.EndOfRib));
                _endOfRibPending = initial.Families;
                break;
            case ExportWork.Changes changes when _exporter is not null:
                Export(_exporter, changes.List, _batch, messages, _context, holdWithdrawals: moreQueued);
                break;
            case ExportWork.Refresh refresh when _exporter is not null:
                Export(_exporter, refresh.Table, _batch, messages, _context);
                break;
            case ExportWork.Reconfigure reconfigure when _exporter is not null:
                _exporter.Policy = reconfigure.Export;
                Export(_exporter, reconfigure.Table, _batch, messages, _context);
                foreach (var family in reconfigure.RefreshFamilies)
                    messages.Add(BgpMessageEncoder.Encode(new BgpRouteRefresh(family), _context));
                break;
            case ExportWork.Down:
                _exporter = null;
                messages.Clear();
                _batch.Clear();
                _endOfRibPending = [];
                break;
        }
    }

    /// <summary>Packs what is held (nothing waits for a later list: it goes with this send) and publishes the counters.</summary>
    private void FinishBatch(List<byte[]> messages)
    {
        if (!_batch.IsEmpty && _exporter is not null)
            _batch.PackInto(messages, _context);
        Volatile.Write(ref _advertised, _exporter?.Out.AdvertisedCount ?? 0);
        if (_exporter is not null)
        {
            foreach (var family in Families)
                Volatile.Write(ref family.PrefixesOut, _exporter.Out.AdvertisedIn(family.Family));
        }
    }

    private void Sent()
    {
        foreach (var family in _endOfRibPending)
        {
            if (Family(family) is { } state)
                state.EndOfRibSent = true;
        }
        _endOfRibPending = [];
    }

    private void Failed(Exception e)
    {
        if (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The session notices the dead connection itself and gets a fresh initial table after it comes back.
            Log.SendFailed(_logger, e.Message);
            return;
        }
        // Anything else is ours: this peer's Adj-RIB-Out can no longer be trusted. Reset the session so it
        // starts over with a full table, and keep the writer alive for that next session.
        Log.WriterFailed(_logger, e);
        _exporter = null;
        _batch.Clear();
        _endOfRibPending = [];
        Session.Reset($"export failed: {e.Message}");
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
