using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Tabby.Bgp.Speaker;

namespace Tabby.Cli.Bgp;

/// <summary>The control socket of a running `tabby bgp run`: one request line in, one JSON document out.</summary>
internal static class BgpControl
{
    public static async Task ServeAsync(string socketPath, BgpSpeaker speaker, CancellationToken stop)
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
                object reply = request switch
                {
                    "status" => Status(speaker),
                    "routes" => (await speaker.BestPathsAsync().ConfigureAwait(false))
                        .Select(p => new { prefix = p.Prefix.ToString(), from = p.Peer.ToString(), stale = p.IsStale, nextHop = p.Attributes.NextHopFor(p.Prefix.IsIPv6)?.ToString() }),
                    _ => new { error = $"unknown request '{request}' (status, routes)" },
                };
                await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(reply), stop).ConfigureAwait(false);
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

    private static object Status(BgpSpeaker speaker) => new
    {
        routerId = new System.Net.IPAddress(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(speaker.Config.RouterId)).ToString(),
        @as = speaker.Config.As,
        peers = speaker.Peers().Select(p => new
        {
            address = p.Address.ToString(),
            @as = p.RemoteAs,
            state = p.State.ToString(),
            establishedAt = p.EstablishedAt,
            prefixesReceived = p.PrefixesReceived,
            prefixesAdvertised = p.PrefixesAdvertised,
            stalePrefixes = p.StalePrefixes,
            messagesIn = p.MessagesIn,
            messagesOut = p.MessagesOut,
            lastError = p.LastError,
        }),
    };
}
