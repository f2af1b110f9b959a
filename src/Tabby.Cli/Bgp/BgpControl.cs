using System.Net.Sockets;
using System.Text;
using System.Text.Json;
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
                using var stream = new NetworkStream(client);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var request = (await reader.ReadLineAsync(stop).ConfigureAwait(false))?.Trim();
                byte[] reply = request switch
                {
                    "status" => JsonSerializer.SerializeToUtf8Bytes(Status(speaker)),
                    "routes" => JsonSerializer.SerializeToUtf8Bytes((await speaker.BestPathsAsync().ConfigureAwait(false))
                        .Select(p => new { prefix = p.Prefix.ToString(), from = p.Peer.ToString(), stale = p.IsStale, nextHop = p.Attributes.NextHopFor(p.Prefix.IsIPv6)?.ToString() })),
                    "metrics" => Encoding.UTF8.GetBytes(await metrics.ExportAsync(stop).ConfigureAwait(false)),
                    _ => JsonSerializer.SerializeToUtf8Bytes(new { error = $"unknown request '{request}' (status, routes, metrics)" }),
                };
                try
                {
                    await stream.WriteAsync(reply, stop).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The client went away before reading the answer; the next one is served.
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

    public static async Task<string> RequestAsync(string socketPath, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
        using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request + "\n")).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync().ConfigureAwait(false);
    }

    private static object Status(BgpSpeaker speaker)
    {
        var now = DateTimeOffset.UtcNow;
        return new
        {
            routerId = new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(speaker.Config.RouterId)).ToString(),
            @as = speaker.Config.As,
            bestPaths = speaker.BestPathCount,
            memory = new
            {
                rssBytes = Environment.WorkingSet,
                gcHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
                gcCommittedBytes = GC.GetGCMemoryInfo().TotalCommittedBytes,
                gcAllocatedBytes = GC.GetTotalAllocatedBytes(),
                gcCollections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
                gcPauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            },
            peers = speaker.Peers().Select(p => new
            {
                address = p.Address.ToString(),
                @as = p.RemoteAs,
                type = p.External ? "eBGP" : "iBGP",
                state = p.State.ToString(),
                establishedAt = p.EstablishedAt,
                uptimeSeconds = p.Uptime(now)?.TotalSeconds,
                establishedTransitions = p.EstablishedTransitions,
                lastError = p.LastError,
                lastNotificationSent = p.LastNotificationSent,
                lastNotificationReceived = p.LastNotificationReceived,
                messagesIn = p.MessagesIn,
                messagesOut = p.MessagesOut,
                prefixesReceived = p.PrefixesReceived,
                prefixesAdvertised = p.PrefixesAdvertised,
                stalePrefixes = p.StalePrefixes,
                updatesReceived = p.UpdatesReceived,
                families = p.Families.Select(f => new
                {
                    family = f.Family.ToString(),
                    prefixesReceived = f.PrefixesIn,
                    prefixesAdvertised = f.PrefixesOut,
                    stalePrefixes = f.StalePrefixes,
                    skipped = f.Skipped,
                    gracefulRestart = f.GracefulRestart.ToString(),
                    peerGracefulRestart = f.PeerGracefulRestart,
                    endOfRibReceived = f.EndOfRibReceived,
                    endOfRibSent = f.EndOfRibSent,
                }),
            }),
        };
    }
}
