using System.Threading.Channels;
using Tabby.Bgp.Config;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>The speaker's per-neighbour state: the session, its RIB identity, and the writer that exports, packs and sends to it.</summary>
/// <remarks>
/// Fields above the writer are owned by the RIB loop. The writer task owns the exporter (and so the
/// Adj-RIB-Out) and drains the export queue in order: it batches every change queued since its last
/// send into one packing pass, so a slow peer gets fewer, fuller UPDATEs instead of stalling the RIB.
/// </remarks>
internal sealed class PeerRuntime
{
    private const int MaxItemsPerSend = 64;
    private readonly Channel<ExportWork> _work = Channel.CreateUnbounded<ExportWork>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _advertised;

    public PeerRuntime(BgpPeerConfig config, BgpSession session)
    {
        Config = config;
        Session = session;
        Writer = Task.Run(WriteAsync);
    }

    public BgpPeerConfig Config { get; }
    public BgpSession Session { get; }
    public Task Writer { get; }

    /// <summary>Set while Established (and kept while its routes are stale after a restart).</summary>
    public RibPeer? RibPeer { get; set; }

    public NegotiatedSession? Negotiated { get; set; }
    public BgpCodecContext Context { get; set; } = BgpCodecContext.Default;
    public bool Established { get; set; }

    /// <summary>Counts restarts so an old stale-route timer cannot sweep a newer session's routes.</summary>
    public int StaleGeneration { get; set; }

    public int StalePrefixes { get; set; }
    public long PrefixesReceived { get; set; }

    /// <summary>Prefixes in the Adj-RIB-Out as of the writer's last send.</summary>
    public int PrefixesAdvertised => Volatile.Read(ref _advertised);

    public void Post(ExportWork work) => _work.Writer.TryWrite(work);

    public void Complete() => _work.Writer.TryComplete();

    private async Task WriteAsync()
    {
        var reader = _work.Reader;
        PeerExporter? exporter = null;
        var context = BgpCodecContext.Default;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var messages = new List<byte[]>();
            var items = 0;
            while (items++ < MaxItemsPerSend && reader.TryRead(out var work))
            {
                switch (work)
                {
                    case ExportWork.Initial initial:
                        exporter = initial.Exporter;
                        context = initial.Context;
                        messages.Clear();
                        foreach (var path in initial.Table)
                            exporter.Export(path.Prefix, path);
                        exporter.ResetCache();
                        if (exporter.Out.HasPending)
                            messages.AddRange(exporter.Out.TakePending().ToMessages(context));
                        // End-of-RIB after the initial table: a restarting peer's cue to sweep what we no longer have.
                        messages.AddRange(initial.Families.Select(BgpUpdatePacker.EndOfRib));
                        break;
                    case ExportWork.Changes changes when exporter is not null:
                        foreach (var change in changes.List)
                            exporter.Export(change.Prefix, change.Best);
                        exporter.ResetCache();
                        break;
                    case ExportWork.Refresh when exporter is not null:
                        exporter.Out.RefreshAll();
                        break;
                    case ExportWork.Down:
                        exporter = null;
                        messages.Clear();
                        break;
                }
            }
            if (exporter is { Out.HasPending: true })
                messages.AddRange(exporter.Out.TakePending().ToMessages(context));
            Volatile.Write(ref _advertised, exporter?.Out.AdvertisedCount ?? 0);
            if (messages.Count == 0)
                continue;
            try
            {
                await Session.SendAsync(messages).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The session notices the dead connection itself and gets a fresh initial table after it comes back.
            }
        }
    }
}
