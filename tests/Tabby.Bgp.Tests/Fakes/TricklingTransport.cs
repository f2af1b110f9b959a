using System.Net;
using Tabby.Bgp.Session;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>
/// A transport that takes at most <see cref="MaxPerSend"/> bytes per send, as a full socket buffer does, and hands
/// out scripted bytes on receive, at most <see cref="MaxPerRead"/> at a time.
/// </summary>
internal sealed class TricklingTransport(byte[] incoming, int maxPerSend) : IBgpTransport
{
    private readonly MemoryStream _sent = new();
    private int _incomingOffset;

    public IPEndPoint Local { get; } = new(IPAddress.Parse("192.0.2.1"), 179);
    public IPEndPoint Remote { get; } = new(IPAddress.Parse("192.0.2.2"), 50000);

    public int MaxPerSend => maxPerSend;

    /// <summary>The most one read hands out.</summary>
    public int MaxPerRead { get; init; } = int.MaxValue;

    /// <summary>Send calls made.</summary>
    public int Sends { get; private set; }

    public byte[] Sent => _sent.ToArray();

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        var n = Math.Min(Math.Min(buffer.Length, MaxPerRead), incoming.Length - _incomingOffset);
        incoming.AsMemory(_incomingOffset, n).CopyTo(buffer);
        _incomingOffset += n;
        return ValueTask.FromResult(n); // 0 once the script is read: the peer closed
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        Sends++;
        var n = Math.Min(data.Length, maxPerSend);
        _sent.Write(data.Span[..n]);
        return ValueTask.FromResult(n);
    }

    public void Shutdown()
    {
    }

    public void Dispose() => _sent.Dispose();
}
