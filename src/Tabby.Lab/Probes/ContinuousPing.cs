using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Probes;

/// <summary>Echo requests at a fixed interval from inside a namespace, as `ping -i` sends them, with an exact count of
/// which came back: for benchmarks that count the packets a failure costs.</summary>
/// <remarks>
/// One raw ICMP socket, opened inside <c>from</c> (it stays there whichever thread uses it), a sender that never waits
/// for replies (a lost echo does not slow the rate, unlike a loop of single pings) and a receiver that matches replies
/// by identifier and sequence. <see cref="StopAsync"/> stops sending and waits for the echoes still in flight, so
/// unlike an interrupted `ping` the last one is not counted lost just because it was on the wire.
/// </remarks>
public sealed class ContinuousPing : IAsyncDisposable
{
    private const int HeaderBytes = 8;
    private const int PayloadBytes = 8;

    private readonly Socket _socket;
    private readonly IPEndPoint _target;
    private readonly TimeSpan _interval;
    private readonly ushort _identifier;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private readonly List<long> _sentAt = [];
    private readonly HashSet<long> _received = [];
    private readonly ManualResetEventSlim _stopSending = new();
    private readonly TaskCompletionSource<long> _firstReply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _sender;
    private readonly Thread _receiver;
    private volatile bool _stopReceiving;
    private TaskCompletionSource? _drained;

    private ContinuousPing(Socket socket, IPAddress target, TimeSpan interval)
    {
        _socket = socket;
        _target = new IPEndPoint(target, 0);
        _interval = interval;
        _identifier = (ushort)RandomNumberGenerator.GetInt32(1, ushort.MaxValue);
        _sender = new Thread(Send) { IsBackground = true, Name = "ping-send" };
        _receiver = new Thread(Receive) { IsBackground = true, Name = "ping-receive" };
    }

    /// <summary>The target.</summary>
    public IPAddress Target => _target.Address;

    /// <summary>When sending began, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long StartedAt => _started;

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp at which the first reply arrived.</summary>
    public Task<long> FirstReplyAt => _firstReply.Task;

    /// <summary>Echo requests sent so far.</summary>
    public long Sent
    {
        get
        {
            lock (_lock)
                return _sentAt.Count;
        }
    }

    /// <summary>Distinct replies received so far.</summary>
    public long Received
    {
        get
        {
            lock (_lock)
                return _received.Count;
        }
    }

    /// <summary>Starts sending an echo request every <paramref name="interval"/> from inside <paramref name="from"/>.</summary>
    public static ContinuousPing Start(NetworkNamespace from, IPAddress target, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        if (target.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("IPv4 only", nameof(target));
        var socket = from.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        // Wakes the receiver now and then to see whether it should stop.
        socket.ReceiveTimeout = 100;
        var ping = new ContinuousPing(socket, target, interval);
        ping._receiver.Start();
        ping._sender.Start();
        return ping;
    }

    /// <summary>Stops sending, waits up to <paramref name="linger"/> for the replies still in flight, and counts.</summary>
    public async Task<ContinuousPingResult> StopAsync(TimeSpan linger)
    {
        _stopSending.Set();
        await Task.Run(_sender.Join).ConfigureAwait(false);
        Task drained;
        lock (_lock)
        {
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_received.Count == _sentAt.Count)
                _drained.TrySetResult();
            drained = _drained.Task;
        }

        await Task.WhenAny(drained, Task.Delay(linger)).ConfigureAwait(false);
        _stopReceiving = true;
        await Task.Run(_receiver.Join).ConfigureAwait(false);
        lock (_lock)
        {
            var lost = Enumerable.Range(0, _sentAt.Count).Where(seq => !_received.Contains(seq))
                .Select(seq => Stopwatch.GetElapsedTime(_started, _sentAt[seq])).ToList();
            return new ContinuousPingResult(_sentAt.Count, _received.Count, lost);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopReceiving)
            await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _socket.Dispose();
        _stopSending.Dispose();
    }

    private void Send()
    {
        var packet = new byte[HeaderBytes + PayloadBytes];
        var next = Stopwatch.GetTimestamp();
        for (long seq = 0; !_stopSending.IsSet; seq++)
        {
            Array.Clear(packet);
            packet[0] = 8; // type: echo request; code 0
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _identifier);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)seq);
            // The full sequence number in the payload, so a run longer than 65,536 echoes stays exact.
            BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(HeaderBytes), seq);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
            lock (_lock)
                _sentAt.Add(Stopwatch.GetTimestamp());
            try
            {
                _socket.SendTo(packet, _target);
            }
            catch (SocketException)
            {
                // No route or no neighbour yet: the echo is sent as far as counting goes, and lost.
            }

            // The send rate (as ping -i): the next echo is due one interval after this one was, or now if that has passed.
            next = Math.Max(next + (long)(_interval.TotalSeconds * Stopwatch.Frequency), Stopwatch.GetTimestamp());
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
                _stopSending.Wait(wait);
        }
    }

    private void Receive()
    {
        var buffer = new byte[1500];
        while (!_stopReceiving)
        {
            int length;
            try
            {
                length = _socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }

            // A raw IPv4 socket hands over the IP header too; the ICMP message starts after it.
            var ip = (buffer[0] & 0x0f) * 4;
            if (length < ip + HeaderBytes + PayloadBytes || buffer[ip] != 0 /* echo reply */
                || BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(ip + 4)) != _identifier)
                continue;
            var seq = BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(ip + HeaderBytes));
            lock (_lock)
            {
                if (seq < 0 || seq >= _sentAt.Count || !_received.Add(seq))
                    continue;
                _firstReply.TrySetResult(Stopwatch.GetTimestamp());
                if (_drained is not null && _received.Count == _sentAt.Count)
                    _drained.TrySetResult();
            }
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if ((data.Length & 1) == 1)
            sum += (uint)data[^1] << 8;
        while (sum >> 16 != 0)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
