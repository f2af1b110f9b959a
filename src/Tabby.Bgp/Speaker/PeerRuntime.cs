using System.Threading.Channels;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>The speaker's per-neighbour state: session, RIB identity, Adj-RIB-Out, and an ordered send queue.</summary>
internal sealed class PeerRuntime
{
    private readonly Channel<(AdjRibOutBatch? Batch, BgpCodecContext Context, IReadOnlyList<byte[]>? Encoded)> _outbound =
        Channel.CreateUnbounded<(AdjRibOutBatch?, BgpCodecContext, IReadOnlyList<byte[]>?)>(new UnboundedChannelOptions { SingleReader = true });

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

    public AdjRibOut? Out { get; set; }
    public NegotiatedSession? Negotiated { get; set; }
    public BgpCodecContext Context { get; set; } = BgpCodecContext.Default;
    public BgpNextHop? SelfNextHopV4 { get; set; }
    public BgpNextHop? SelfNextHopV6 { get; set; }
    public bool ExportsV4 { get; set; }
    public bool ExportsV6 { get; set; }

    /// <summary>The last export rewrite for this peer within the current flush (see BgpSpeaker.Export).</summary>
    public (PathAttributes? Attributes, RibPeer? From, bool V6) LastExportKey { get; set; }

    public PathAttributes? LastExportResult { get; set; }
    public bool Established { get; set; }

    /// <summary>Counts restarts so an old stale-route timer cannot sweep a newer session's routes.</summary>
    public int StaleGeneration { get; set; }

    public int StalePrefixes { get; set; }
    public long PrefixesReceived { get; set; }

    /// <summary>Queues UPDATEs in order; a dedicated writer drains them so a slow peer never stalls the RIB.</summary>
    public void Enqueue(IReadOnlyList<byte[]> messages)
    {
        if (messages.Count > 0)
            _outbound.Writer.TryWrite((null, Context, messages));
    }

    /// <summary>Queues a batch to be packed into UPDATEs on the writer, in parallel with the RIB loop's next work.</summary>
    public void Enqueue(AdjRibOutBatch batch) => _outbound.Writer.TryWrite((batch, Context, null));

    public void Complete() => _outbound.Writer.TryComplete();

    private async Task WriteAsync()
    {
        await foreach (var (batch, context, encoded) in _outbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await Session.SendAsync(encoded ?? batch!.ToMessages(context)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The session notices the dead connection itself and resends everything after it comes back.
            }
        }
    }
}
