using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tabby.Node.Status;

/// <summary>The agent's control socket: one request line in ("status"), one JSON document out.</summary>
/// <remarks>A unix socket lives on the filesystem, which namespaces share, so `tabby node status` reaches an agent in any namespace.</remarks>
public sealed class ControlServer(string socketPath, Func<NodeStatusReport> status)
{
    public async Task RunAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
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
                    await using var stream = new NetworkStream(client);
                    using var reader = new StreamReader(stream, Encoding.UTF8);
                    var request = (await reader.ReadLineAsync(stop).ConfigureAwait(false))?.Trim();
                    var reply = request == "status"
                        ? JsonSerializer.SerializeToUtf8Bytes(status(), StatusJson.Default.NodeStatusReport)
                        : Encoding.UTF8.GetBytes($"{{\"error\":\"unknown request '{request}' (status)\"}}");
                    await stream.WriteAsync(reply, stop).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // The client went away.
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

    /// <summary>Asks a running agent for its status.</summary>
    public static async Task<NodeStatusReport> QueryAsync(string socketPath, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("status\n"), cancellationToken).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, StatusJson.Default.NodeStatusReport, cancellationToken).ConfigureAwait(false)
            ?? throw new IOException($"{socketPath}: empty reply");
    }
}
