using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Session;

/// <summary>One TCP connection carrying BGP: frames and decodes what arrives, serialises what leaves.</summary>
/// <remarks>
/// Decoding happens on the reader task, off the session loop, so a burst of UPDATEs is parsed while
/// the RIB works on the previous ones. The codec context switches to the negotiated one when the
/// reader itself sees the peer's OPEN, so no UPDATE can be decoded with the wrong AS width. Whether
/// the peer is external comes from the configured remote AS, fixed when the connection is made, so
/// it cannot depend on which of two colliding connections decoded an OPEN first.
/// </remarks>
internal sealed class BgpConnection : IAsyncDisposable
{
    private const int ReadBufferSize = 256 * 1024;
    private const int CoalesceBytes = 64 * 1024;
    private readonly IBgpTransport _transport;
    private readonly bool _external;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private BgpOpen? _localOpen;
    private volatile BgpCodecContext _context;
    private int _disposed;

    /// <param name="external">The configured remote AS differs from ours: decides the eBGP attribute rules for everything decoded.</param>
    public BgpConnection(IBgpTransport transport, bool inbound, int id, bool external)
    {
        _transport = transport;
        _external = external;
        _context = new BgpCodecContext(FourOctetAs: true, ExternalPeer: external);
        Inbound = inbound;
        Id = id;
        Remote = transport.Remote;
        Local = transport.Local;
    }

    public int Id { get; }
    public bool Inbound { get; }
    public IPEndPoint Remote { get; }
    public IPEndPoint Local { get; }
    public BgpCodecContext Context => _context;

    /// <summary>The OPEN we sent; with the peer's it fixes the codec context.</summary>
    public BgpOpen? LocalOpen => _localOpen;

    public BgpOpen? RemoteOpen { get; private set; }

    private long _messagesIn;
    private long _messagesOut;
    private int _queued;

    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    /// <summary>Whether a message this connection's reader posted to the session loop is still waiting to be handled there.</summary>
    public bool HasQueuedMessages => Volatile.Read(ref _queued) > 0;

    /// <summary>The reader posted a message to the session loop.</summary>
    public void MessageQueued() => Interlocked.Increment(ref _queued);

    /// <summary>The session loop has handled one of the messages posted.</summary>
    public void MessageHandled() => Interlocked.Decrement(ref _queued);

    public async Task SendOpenAsync(BgpOpen open)
    {
        _localOpen = open;
        await SendAsync(BgpMessageEncoder.Encode(open, _context)).ConfigureAwait(false);
    }

    public Task SendAsync(BgpMessage message) => SendAsync(BgpMessageEncoder.Encode(message, _context));

    public async Task SendAsync(byte[] message)
    {
        await _sendLock.WaitAsync(_closed.Token).ConfigureAwait(false);
        try
        {
            await SendAllAsync(message).ConfigureAwait(false);
            Interlocked.Increment(ref _messagesOut);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends many encoded messages with as few syscalls as the socket allows.</summary>
    /// <remarks>
    /// One message (the first route after a quiet spell) goes as it is. More are copied into a pooled buffer and sent
    /// <see cref="CoalesceBytes"/> at a time: a gathered send of the arrays themselves pinned each of them and took the
    /// socket's slower buffer-list path, where copying the batch costs less.
    /// </remarks>
    public async Task SendManyAsync(IReadOnlyList<byte[]> messages)
    {
        if (messages.Count == 0)
            return;
        await _sendLock.WaitAsync(_closed.Token).ConfigureAwait(false);
        try
        {
            if (messages.Count == 1)
            {
                await SendAllAsync(messages[0]).ConfigureAwait(false);
            }
            else
            {
                var buffer = ArrayPool<byte>.Shared.Rent(CoalesceBytes);
                try
                {
                    var used = 0;
                    // Indexed, not foreach: enumerating the interface would box an enumerator for every send.
                    for (var i = 0; i < messages.Count; i++)
                    {
                        var message = messages[i];
                        if (used + message.Length > buffer.Length && used > 0)
                        {
                            await SendAllAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                            used = 0;
                        }
                        if (message.Length > buffer.Length)
                        {
                            await SendAllAsync(message).ConfigureAwait(false);
                            continue;
                        }
                        message.CopyTo(buffer, used);
                        used += message.Length;
                    }
                    if (used > 0)
                        await SendAllAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            Interlocked.Add(ref _messagesOut, messages.Count);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends all of <paramref name="data"/>, however many calls the socket needs; the send lock is held.</summary>
    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _transport.SendAsync(data, _closed.Token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    /// <summary>Reads until the connection ends, handing each decoded message (or the decode error) to the callbacks.</summary>
    public async Task ReadAsync(Action<BgpConnection, BgpMessage> onMessage, Action<BgpConnection, BgpWireException> onError, Action<BgpConnection, Exception?> onClosed)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(ReadBufferSize);
        var count = 0;
        try
        {
            while (true)
            {
                var read = await _transport.ReceiveAsync(buffer.AsMemory(count), _closed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    onClosed(this, null);
                    return;
                }
                count += read;
                // This thread may pack a quiet spell's first route inline (the reader runs the RIB turn): its pack buffers
                // are allocated here, off that route's path once the thread has read before, as `tabby bgp run`'s event
                // threads have by then (measured: 16-27 µs and two page faults on the first route otherwise).
                BgpUpdatePacker.PrepareThread();
                var offset = 0;
                while (count - offset >= BgpHeader.Length)
                {
                    var available = buffer.AsSpan(offset, count - offset);
                    int length;
                    try
                    {
                        BgpHeader.TryRead(available, out _, out length);
                    }
                    catch (BgpWireException e)
                    {
                        onError(this, e);
                        return;
                    }
                    if (available.Length < length)
                        break;
                    BgpMessage message;
                    try
                    {
                        message = BgpMessageDecoder.Decode(available[..length], _context);
                    }
                    catch (BgpWireException e)
                    {
                        onError(this, e);
                        return;
                    }
                    offset += length;
                    Interlocked.Increment(ref _messagesIn);
                    if (message is BgpOpen open)
                        OnRemoteOpen(open);
                    onMessage(this, message);
                }
                if (offset > 0)
                {
                    buffer.AsSpan(offset, count - offset).CopyTo(buffer);
                    count -= offset;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            onClosed(this, _closed.IsCancellationRequested ? null : e);
        }
    }

    private void OnRemoteOpen(BgpOpen open)
    {
        RemoteOpen = open;
        var fourOctet = open.SupportsFourOctetAs && (_localOpen?.SupportsFourOctetAs ?? true);
        _context = new BgpCodecContext(fourOctet, _external);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _closed.CancelAsync().ConfigureAwait(false);
        _transport.Shutdown();
        _transport.Dispose();
    }
}
