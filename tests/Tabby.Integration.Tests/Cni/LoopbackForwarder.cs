using System.Net;
using System.Net.Sockets;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Cni;

/// <summary>Test plumbing: makes a TCP service on this process's 127.0.0.1 reachable on 127.0.0.1 inside another namespace, with no interface in either.</summary>
/// <remarks>
/// A socket belongs to the namespace it was created in, whichever thread uses it later. The listener is
/// created on a thread inside the target namespace; each connection it accepts is paired with a socket
/// made here, in the process's own namespace, and bytes are copied both ways. So a plugin or an agent in a
/// host namespace reaches the test's etcd at the same 127.0.0.1 URL the test uses, and traffic never leaves
/// the two loopbacks. The target namespace's lo must be up.
/// </remarks>
public sealed class LoopbackForwarder : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;

    private LoopbackForwarder(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The port listened on inside the namespace (the target's port).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>Listens on 127.0.0.1:<paramref name="target"/>.Port inside <paramref name="inside"/> and forwards to <paramref name="target"/> here.</summary>
    public static LoopbackForwarder Start(NetworkNamespace inside, IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(inside);
        ArgumentNullException.ThrowIfNull(target);
        var listener = inside.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, target.Port));
                socket.Listen(128);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });
        return new LoopbackForwarder(listener, target);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(ForwardAsync(client));
            }
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
                client.NoDelay = true;
                upstream.NoDelay = true;
                // Either direction ending ends the connection; the other copy is then cut by the disposals.
                await Task.WhenAny(CopyAsync(client, upstream), CopyAsync(upstream, client)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The service or the client went away: nothing to forward any more.
            }
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                    return;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        Task[] connections;
        lock (_lock)
            connections = [.. _connections];
        await Task.WhenAll(connections).ConfigureAwait(false);
        _stop.Dispose();
    }
}
