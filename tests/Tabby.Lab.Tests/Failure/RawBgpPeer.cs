using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Wire;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Tests.Failure;

/// <summary>
/// A hand-driven BGP neighbour: opens a session from inside a namespace and then writes whatever bytes a
/// test wants, well-formed or not, to see what the speaker on the other end answers.
/// </summary>
internal sealed class RawBgpPeer : IDisposable
{
    private readonly Socket _socket;

    private RawBgpPeer(Socket socket) => _socket = socket;

    /// <summary>The speaker's OPEN, once <see cref="ConnectAsync"/> returned.</summary>
    public BgpOpen? TheirOpen { get; private set; }

    /// <summary>
    /// Connects from <paramref name="ns"/> to <paramref name="speaker"/>:179 and sends <paramref name="open"/>, retrying
    /// while the speaker refuses (it may be holding its session idle after an earlier error), until the speaker's
    /// OPEN arrives. With <paramref name="establish"/>, also exchanges KEEPALIVEs so the session is Established.
    /// </summary>
    public static async Task<RawBgpPeer> ConnectAsync(NetworkNamespace ns, IPAddress speaker, BgpOpen open, bool establish, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var socket = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            var peer = new RawBgpPeer(socket);
            try
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(new IPEndPoint(speaker, 179), cancel.Token);
                await peer.SendAsync(BgpMessageEncoder.Encode(open, BgpCodecContext.Default));
                peer.TheirOpen = await peer.ReceiveAsync(TimeSpan.FromSeconds(5)) as BgpOpen;
                if (peer.TheirOpen is not null)
                {
                    if (establish)
                    {
                        await peer.SendAsync(BgpMessageEncoder.Encode(BgpKeepalive.Instance, BgpCodecContext.Default));
                        if (await peer.ReceiveAsync(TimeSpan.FromSeconds(5)) is not BgpKeepalive)
                            throw new InvalidOperationException("the speaker did not confirm our OPEN with a KEEPALIVE");
                    }
                    return peer;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
            {
                // Refused or closed: the speaker is not taking this neighbour yet.
            }

            peer.Dispose();
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"{speaker} never answered our OPEN within {timeout.TotalSeconds:0} s");
            // The retry interval of a refused connection.
            await Task.Delay(200);
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
            sent += await _socket.SendAsync(bytes[sent..]);
    }

    /// <summary>Reads messages until a NOTIFICATION arrives (UPDATEs and KEEPALIVEs are skipped); null when the speaker closes without one.</summary>
    public async Task<BgpNotification?> ReceiveNotificationAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            var message = await ReceiveAsync(timeout - watch.Elapsed);
            if (message is null or BgpNotification)
                return message as BgpNotification;
        }
        throw new TimeoutException($"no NOTIFICATION within {timeout.TotalSeconds:0} s");
    }

    /// <summary>True when the speaker has closed the connection (reads end) within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token) > 0)
            {
                // Anything still in flight before the close.
            }
            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<BgpMessage?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var header = new byte[BgpHeader.Length];
        if (!await ReadExactlyAsync(header, cancel.Token))
            return null;
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var message = new byte[length];
        header.CopyTo(message, 0);
        if (!await ReadExactlyAsync(message.AsMemory(BgpHeader.Length), cancel.Token))
            return null;
        return BgpMessageDecoder.Decode(message, BgpCodecContext.Default);
    }

    private async Task<bool> ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
                return false;
            read += n;
        }
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
