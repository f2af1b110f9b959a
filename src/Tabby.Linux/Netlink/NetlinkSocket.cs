using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink.Protocol;

namespace Tabby.Linux.Netlink;

/// <summary>An rtnetlink socket: requests with acks, batched requests, and dumps that restart when interrupted.</summary>
/// <remarks>
/// The socket lives in the network namespace of the thread that opened it, whatever thread uses
/// it later; that is how one process programs many namespaces. Operations are serialised by a
/// lock because netlink replies are matched to requests by sequence number on one stream.
/// </remarks>
public sealed class NetlinkSocket : IDisposable
{
    /// <summary>Bytes per sendmsg: large enough to amortise the syscall, small enough that the acks of a failing batch never overflow the receive buffer.</summary>
    internal const int BatchBytes = 32 * 1024;
    private const int MaxDumpAttempts = 10;

    private readonly Socket _socket;
    private readonly byte[] _receiveBuffer = GC.AllocateUninitializedArray<byte>(256 * 1024);
    private readonly NetlinkWriter _writer = new(BatchBytes + 8192);
    private readonly Lock _lock = new();
    private uint _sequence = (uint)Environment.TickCount;

    private NetlinkSocket(Socket socket) => _socket = socket;

    internal delegate void MessageBuilder<in T>(NetlinkWriter writer, T item, uint sequence);

    internal delegate bool MessageParser<T>(NetlinkMessage message, out T value);

    /// <summary>Opens an rtnetlink socket in the calling thread's network namespace, optionally joined to multicast groups.</summary>
    public static NetlinkSocket Open() => Open([]);

    internal static unsafe NetlinkSocket Open(ReadOnlySpan<int> multicastGroups)
    {
        var fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
        {
            var (errno, text) = Libc.LastError();
            throw new NetlinkException(errno, "socket(AF_NETLINK, NETLINK_ROUTE)", text);
        }
        try
        {
            // Big buffers: a dump of 100k routes or the acks of a failing batch must not hit ENOBUFS.
            SetBuffer(fd, Libc.SO_SNDBUFFORCE, Libc.SO_SNDBUF, 4 * 1024 * 1024);
            SetBuffer(fd, Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF, 16 * 1024 * 1024);
            // Extended acks carry the kernel's reason; capped acks keep error replies small;
            // strict checking lets the kernel filter dumps (by protocol, table) for us.
            SetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_EXT_ACK, 1);
            SetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_CAP_ACK, 1);
            SetOption(fd, Libc.SOL_NETLINK, Libc.NETLINK_GET_STRICT_CHK, 1);

            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            if (Libc.bind(fd, &address, sizeof(Libc.SockaddrNl)) != 0)
            {
                var (errno, _) = Libc.LastError();
                throw new NetlinkException(errno, "bind(AF_NETLINK)");
            }
            foreach (var group in multicastGroups)
            {
                var g = group;
                if (Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, &g, sizeof(int)) != 0)
                {
                    var (errno, _) = Libc.LastError();
                    throw new NetlinkException(errno, $"NETLINK_ADD_MEMBERSHIP group {group}");
                }
            }
            return new NetlinkSocket(new Socket(new SafeSocketHandle(fd, ownsHandle: true)));
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
    }

    private static unsafe void SetBuffer(int fd, int forceOption, int option, int size)
    {
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, forceOption, &size, sizeof(int)) != 0)
            Libc.setsockopt(fd, Libc.SOL_SOCKET, option, &size, sizeof(int));
    }

    private static unsafe void SetOption(int fd, int level, int option, int value) =>
        Libc.setsockopt(fd, level, option, &value, sizeof(int));

    /// <summary>Sends one request and waits for its ack; throws <see cref="NetlinkException"/> with the errno on refusal.</summary>
    internal void Execute<T>(T item, MessageBuilder<T> build, Func<T, string> describe)
    {
        lock (_lock)
        {
            _writer.Reset();
            var sequence = ++_sequence;
            build(_writer, item, sequence);
            SetAckOnLastMessage(0);
            Send(_writer.Written);
            var failure = ReceiveAcks(sequence, sequence, out var kernelMessage);
            if (failure is { } errno)
                throw new NetlinkException(errno, describe(item), kernelMessage);
        }
    }

    /// <summary>
    /// Sends many requests, packed into as few sendmsg calls as fit, with an ack asked only of the last
    /// in each packet; the kernel still reports every failure. All requests are attempted; failures
    /// are returned with their items.
    /// </summary>
    internal List<(T Item, NetlinkException Error)> ExecuteBatch<T>(IEnumerable<T> items, MessageBuilder<T> build, Func<T, string> describe, out int attempted)
    {
        var failures = new List<(T, NetlinkException)>();
        attempted = 0;
        lock (_lock)
        {
            var pending = new List<T>(1024);
            using var enumerator = items.GetEnumerator();
            var more = enumerator.MoveNext();
            while (more)
            {
                _writer.Reset();
                pending.Clear();
                var firstSequence = _sequence + 1;
                var lastMessageStart = 0;
                while (more && _writer.Length < BatchBytes)
                {
                    lastMessageStart = _writer.Length;
                    build(_writer, enumerator.Current, ++_sequence);
                    pending.Add(enumerator.Current);
                    more = enumerator.MoveNext();
                }
                SetAckOnLastMessage(lastMessageStart);
                attempted += pending.Count;
                Send(_writer.Written);
                CollectBatchAcks(firstSequence, _sequence, pending, describe, failures);
            }
        }
        return failures;
    }

    /// <summary>Sends a GET for one object and parses the reply; null when the kernel answers with <paramref name="missingErrno"/>.</summary>
    internal T? Query<T>(Action<NetlinkWriter, uint> buildRequest, MessageParser<T> parse, string description, int missingErrno)
        where T : class
    {
        lock (_lock)
        {
            _writer.Reset();
            var sequence = ++_sequence;
            buildRequest(_writer, sequence);
            Send(_writer.Written);
            while (true)
            {
                ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, Receive());
                while (NetlinkMessage.TryRead(ref data, out var message))
                {
                    if (message.Sequence != sequence)
                        continue;
                    if (message.Type == MessageTypes.Error)
                    {
                        var errno = -AttributeReader.I32(message.Payload);
                        if (errno == missingErrno)
                            return null;
                        throw new NetlinkException(errno, description, ExtendedAck(message));
                    }
                    return parse(message, out var value) ? value : null;
                }
            }
        }
    }

    /// <summary>Runs a dump and parses each message; restarts from scratch when the kernel says the dump was interrupted by a change.</summary>
    internal List<T> Dump<T>(Action<NetlinkWriter, uint> buildRequest, MessageParser<T> parse, string description)
    {
        lock (_lock)
        {
            var results = new List<T>();
            for (var attempt = 1; ; attempt++)
            {
                results.Clear();
                _writer.Reset();
                var sequence = ++_sequence;
                buildRequest(_writer, sequence);
                Send(_writer.Written);
                var interrupted = ReceiveDump(sequence, parse, results, description);
                if (!interrupted)
                    return results;
                if (attempt == MaxDumpAttempts)
                    throw new NetlinkException(Errno.EINTR, $"{description}: interrupted by concurrent changes {MaxDumpAttempts} times in a row");
            }
        }
    }

    internal TimeSpan ReceiveTimeout
    {
        set => _socket.ReceiveTimeout = (int)value.TotalMilliseconds;
    }

    /// <summary>Blocks until the next datagram arrives; used by event subscriptions. Returns the bytes received.</summary>
    internal ReadOnlySpan<byte> ReceiveRaw()
    {
        var count = _socket.Receive(_receiveBuffer);
        return _receiveBuffer.AsSpan(0, count);
    }

    private void SetAckOnLastMessage(int lastMessageStart)
    {
        PatchFlags(lastMessageStart, MessageFlags.Ack);
    }

    private void PatchFlags(int messageStart, ushort extra)
    {
        var written = _writer.Written;
        var flags = MemoryMarshal.Read<ushort>(written[(messageStart + 6)..]);
        flags |= extra;
        _writer.PatchUInt16(messageStart + 6, flags);
    }

    private void Send(ReadOnlySpan<byte> data)
    {
        try
        {
            var sent = _socket.Send(data);
            if (sent != data.Length)
                throw new NetlinkException(Errno.ENOBUFS, $"sendmsg: sent {sent} of {data.Length} bytes");
        }
        catch (SocketException e)
        {
            throw new NetlinkException(ToErrno(e), "sendmsg to the kernel", e.Message);
        }
    }

    private int Receive()
    {
        try
        {
            return _socket.Receive(_receiveBuffer);
        }
        catch (SocketException e)
        {
            throw new NetlinkException(ToErrno(e), "recvmsg from the kernel", e.Message);
        }
    }

    /// <summary>Reads until the ack of <paramref name="last"/>; returns the first errno reported in [first, last].</summary>
    private int? ReceiveAcks(uint first, uint last, out string? kernelMessage)
    {
        kernelMessage = null;
        int? failure = null;
        while (true)
        {
            ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, Receive());
            while (NetlinkMessage.TryRead(ref data, out var message))
            {
                if (message.Type != MessageTypes.Error || !InRange(message.Sequence, first, last))
                    continue;
                var errno = -AttributeReader.I32(message.Payload);
                if (errno != 0 && failure is null)
                {
                    failure = errno;
                    kernelMessage = ExtendedAck(message);
                }
                if (message.Sequence == last)
                    return failure;
            }
        }
    }

    private void CollectBatchAcks<T>(uint first, uint last, List<T> pending, Func<T, string> describe, List<(T, NetlinkException)> failures)
    {
        while (true)
        {
            ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, Receive());
            while (NetlinkMessage.TryRead(ref data, out var message))
            {
                if (message.Type != MessageTypes.Error || !InRange(message.Sequence, first, last))
                    continue;
                var errno = -AttributeReader.I32(message.Payload);
                if (errno != 0)
                {
                    var item = pending[(int)(message.Sequence - first)];
                    failures.Add((item, new NetlinkException(errno, describe(item), ExtendedAck(message))));
                }
                if (message.Sequence == last)
                    return;
            }
        }
    }

    private bool ReceiveDump<T>(uint sequence, MessageParser<T> parse, List<T> results, string description)
    {
        var interrupted = false;
        while (true)
        {
            ReadOnlySpan<byte> data = _receiveBuffer.AsSpan(0, Receive());
            while (NetlinkMessage.TryRead(ref data, out var message))
            {
                if (message.Sequence != sequence)
                    continue;
                if ((message.Flags & MessageFlags.DumpInterrupted) != 0)
                    interrupted = true;
                switch (message.Type)
                {
                    case MessageTypes.Done:
                        var doneErrno = -AttributeReader.I32(message.Payload);
                        if (doneErrno == Errno.EINTR || doneErrno == Errno.EBUSY)
                            return true;
                        if (doneErrno != 0)
                            throw new NetlinkException(doneErrno, description);
                        return interrupted;
                    case MessageTypes.Error:
                        var errno = -AttributeReader.I32(message.Payload);
                        if (errno == 0)
                            continue;
                        if (errno == Errno.EINTR || errno == Errno.EBUSY)
                            return true;
                        throw new NetlinkException(errno, description, ExtendedAck(message));
                    default:
                        if (parse(message, out var value))
                            results.Add(value);
                        break;
                }
            }
        }
    }

    private static int ToErrno(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.NoBufferSpaceAvailable => Errno.ENOBUFS,
        SocketError.Interrupted => Errno.EINTR,
        SocketError.InvalidArgument => Errno.EINVAL,
        SocketError.AccessDenied => Errno.EPERM,
        _ => e.NativeErrorCode,
    };

    private static bool InRange(uint sequence, uint first, uint last) => unchecked(sequence - first) <= unchecked(last - first);

    /// <summary>The NLMSGERR_ATTR_MSG text of an extended ack, which says what the kernel disliked.</summary>
    private static string? ExtendedAck(NetlinkMessage message)
    {
        if ((message.Flags & MessageFlags.AckTlvs) == 0 || message.Payload.Length < 20)
            return null;
        // struct nlmsgerr: int error, then the offending header (and its payload unless capped).
        var originalLength = (int)AttributeReader.U32(message.Payload[4..]);
        var offset = (message.Flags & MessageFlags.AckCapped) != 0 ? 20 : 4 + NetlinkWriter.Align(originalLength);
        if (offset > message.Payload.Length)
            return null;
        var attributes = new AttributeReader(message.Payload[offset..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == 1) // NLMSGERR_ATTR_MSG
                return AttributeReader.String(value);
        }
        return null;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _writer.Dispose();
    }
}
