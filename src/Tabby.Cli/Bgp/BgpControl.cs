using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tabby.Bgp.Rib;
using Tabby.Bgp.Speaker;

namespace Tabby.Cli.Bgp;

/// <summary>The control socket of a running `tabby bgp run`: one request line in ("status", "routes", "metrics"), one document out.</summary>
internal static class BgpControl
{
    public static async Task ServeAsync(string socketPath, BgpSpeaker speaker, BgpMetrics metrics, CancellationToken stop)
    {
        File.Delete(socketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(16);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptAsync(stop).ConfigureAwait(false);
                try
                {
                    await ServeClientAsync(client, speaker, metrics, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !stop.IsCancellationRequested))
                {
                    // One client's trouble (gone mid-request, or silent past the timeout) never stops the speaker.
                    await Console.Error.WriteLineAsync($"control socket: a request failed: {e.Message}").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    /// <summary>How long a client may take to send its request line.</summary>
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(5);

    private static async Task ServeClientAsync(Socket client, BgpSpeaker speaker, BgpMetrics metrics, CancellationToken stop)
    {
        using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(s_requestTimeout);
        // Socket completions run on .NET's event threads in `tabby bgp run` (InlineSocketCompletions): building a status
        // of thousands of peers or a document of every route there would hold up every BGP session's reads and sends,
        // so the request is answered from the pool, whether the line was read at once or after a wait.
        var request = (await reader.ReadLineAsync(timeout.Token).AsTask().ConfigureAwait(ConfigureAwaitOptions.ForceYielding))?.Trim();
        byte[] reply = request switch
        {
            "status" => JsonSerializer.SerializeToUtf8Bytes(Status(speaker), BgpControlJson.Default.BgpStatusReport),
            "routes" => JsonSerializer.SerializeToUtf8Bytes(Routes(await speaker.BestPathsAsync().ConfigureAwait(false)), BgpControlJson.Default.IReadOnlyListBgpRouteReport),
            "metrics" => Encoding.UTF8.GetBytes(await metrics.ExportAsync(stop).ConfigureAwait(false)),
            _ => JsonSerializer.SerializeToUtf8Bytes(new BgpControlError($"unknown request '{request}' (status, routes, metrics)"), BgpControlJson.Default.BgpControlError),
        };
        // A client that went away before reading the answer fails the write; the caller notes it and serves the next.
        await stream.WriteAsync(reply, stop).ConfigureAwait(false);
    }

    public static async Task<string> RequestAsync(string socketPath, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request + "\n")).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    private static List<BgpRouteReport> Routes(IReadOnlyList<RibPath> paths) =>
        paths.Select(p => new BgpRouteReport(p.Prefix.ToString(), p.Peer.ToString(), p.IsStale, p.Attributes.NextHopFor(p.Prefix.IsIPv6)?.ToString(), p.Attributes.LocalPref)).ToList();

    private static BgpStatusReport Status(BgpSpeaker speaker)
    {
        var now = DateTimeOffset.UtcNow;
        var gc = GC.GetGCMemoryInfo();
        var memory = new BgpMemoryReport(
            Environment.WorkingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes, GC.GetTotalAllocatedBytes(),
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], GC.GetTotalPauseDuration().TotalMilliseconds);
        var peers = speaker.Peers().Select(p => new BgpPeerReport(
            p.Address.ToString(), p.RemoteAs, p.External ? "eBGP" : "iBGP", p.State.ToString(), p.EstablishedAt, p.Uptime(now)?.TotalSeconds,
            p.EstablishedTransitions, p.LastError, p.LastNotificationSent, p.LastNotificationReceived, p.MessagesIn, p.MessagesOut,
            p.PrefixesReceived, p.PrefixesAdvertised, p.StalePrefixes, p.UpdatesReceived,
            p.Families.Select(f => new BgpFamilyReport(
                f.Family.ToString(), f.PrefixesIn, f.PrefixesOut, f.StalePrefixes, f.Skipped, f.GracefulRestart.ToString(),
                f.PeerGracefulRestart, f.EndOfRibReceived, f.EndOfRibSent)).ToList())).ToList();
        var routerId = new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(speaker.Config.RouterId)).ToString();
        return new BgpStatusReport(routerId, speaker.Config.As, speaker.BestPathCount, memory, peers);
    }
}
