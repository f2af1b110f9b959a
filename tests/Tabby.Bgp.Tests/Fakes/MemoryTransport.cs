using System.Net;
using System.Threading.Channels;
using Tabby.Bgp.Session;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>One end of an in-memory byte pipe standing in for a TCP connection, so the state machine runs without sockets.</summary>
internal sealed class MemoryTransport : IBgpTransport
{
    private readonly Channel<byte[]> _incoming;
    private readonly Channel<byte[]> _outgoing;
    private byte[] _pending = [];
    private int _pendingOffset;

    private MemoryTransport(Channel<byte[]> incoming, Channel<byte[]> outgoing, IPEndPoint local, IPEndPoint remote)
    {
        _incoming = incoming;
        _outgoing = outgoing;
        Local = local;
        Remote = remote;
    }

    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }

    /// <summary>True once this end has been disposed or shut down (the session closed its connection).</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Two connected ends: what one sends the other receives.</summary>
    public static (MemoryTransport Ours, MemoryTransport Theirs) Pair(IPEndPoint ours, IPEndPoint theirs)
    {
        var a = Channel.CreateUnbounded<byte[]>();
        var b = Channel.CreateUnbounded<byte[]>();
        return (new MemoryTransport(a, b, ours, theirs), new MemoryTransport(b, a, theirs, ours));
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        if (_pendingOffset == _pending.Length)
        {
            try
            {
                if (!await _incoming.Reader.WaitToReadAsync(cancel))
                    return 0;
            }
            catch (ChannelClosedException)
            {
                return 0;
            }
            if (!_incoming.Reader.TryRead(out var next))
                return 0;
            _pending = next;
            _pendingOffset = 0;
        }
        var n = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsMemory(_pendingOffset, n).CopyTo(buffer);
        _pendingOffset += n;
        return n;
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        if (!_outgoing.Writer.TryWrite(data.ToArray()))
            throw new IOException("the other end closed the connection");
        return ValueTask.FromResult(data.Length);
    }

    public void Shutdown()
    {
        IsClosed = true;
        _outgoing.Writer.TryComplete();
    }

    public void Dispose()
    {
        IsClosed = true;
        _outgoing.Writer.TryComplete();
        _incoming.Writer.TryComplete();
    }
}
