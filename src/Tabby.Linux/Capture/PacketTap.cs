using Tabby.Linux.Interop;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Capture;

/// <summary>A read-only tap on every packet of a network namespace, with the kernel's receive time of each: for
/// benchmarks that time traffic on the wire instead of asking the daemons.</summary>
/// <remarks>
/// A cooked AF_PACKET socket of every protocol (packets start at the network header). Not ETH_P_IP: frames that enter
/// a bridge port are taken by the bridge before protocol taps, and only "all" taps see them. The first SIOCGSTAMPNS
/// turns the kernel's stamping of received packets on; SO_TIMESTAMPNS would not do, since it hands stamps out as
/// control messages and leaves the ioctl's unset.
/// </remarks>
public sealed unsafe class PacketTap : IDisposable
{
    private readonly int _fd;

    private PacketTap(int fd) => _fd = fd;

    /// <summary>Opens a tap in <paramref name="ns"/>; a read returns at least every <paramref name="readTimeout"/>.</summary>
    /// <param name="bufferBytes">The socket's receive buffer (forced past the system's limit: taps need root anyway).</param>
    public static PacketTap Open(NetworkNamespace ns, TimeSpan readTimeout, int bufferBytes = 32 << 20)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var fd = ns.Run(() => Libc.socket(Libc.AF_PACKET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, Libc.ETH_P_ALL_NETWORK_ORDER));
        if (fd < 0)
            throw Failure("socket(AF_PACKET)");
        try
        {
            var timeout = new Libc.Timeval { Seconds = (long)readTimeout.TotalSeconds, Microseconds = readTimeout.Microseconds + readTimeout.Milliseconds * 1000L };
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &bufferBytes, sizeof(int)) != 0)
                throw Failure("SO_RCVBUFFORCE");
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, sizeof(Libc.Timeval)) != 0)
                throw Failure("SO_RCVTIMEO");
            Libc.Timespec none;
            _ = Libc.ioctl(fd, Libc.SIOCGSTAMPNS, &none); // ENOENT: nothing read yet, but stamping is on from here
        }
        catch
        {
            Libc.close(fd);
            throw;
        }
        return new PacketTap(fd);
    }

    /// <summary>Reads the next packet (truncated to <paramref name="buffer"/>); 0 when none came within the timeout.</summary>
    /// <remarks>A signal (EINTR, which a socket with a receive timeout returns even under SA_RESTART) is read through;
    /// only the timeout means "nothing came", and any other failure throws.</remarks>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Libc.recv(_fd, b, buffer.Length, 0);
                if (n >= 0)
                    return (int)Math.Min(n, buffer.Length);
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                    return 0;
                throw Failure("recv");
            }
        }
    }

    /// <summary>When the kernel received the packet read last, in nanoseconds since the Unix epoch; null if unknown.</summary>
    public long? LastReceivedNs()
    {
        Libc.Timespec stamp;
        return Libc.ioctl(_fd, Libc.SIOCGSTAMPNS, &stamp) == 0 ? stamp.Seconds * 1_000_000_000 + stamp.Nanoseconds : null;
    }

    /// <summary>Packets the kernel dropped because the socket's buffer was full, since the last call (the kernel resets the count).</summary>
    public long TakeDrops()
    {
        Libc.TpacketStats stats;
        var length = sizeof(Libc.TpacketStats);
        return Libc.getsockopt(_fd, Libc.SOL_PACKET, Libc.PACKET_STATISTICS, &stats, &length) == 0
            ? stats.Drops
            : throw Failure("PACKET_STATISTICS");
    }

    public void Dispose() => Libc.close(_fd);

    private static IOException Failure(string what)
    {
        var (errno, message) = Libc.LastError();
        return new IOException($"packet tap {what}: {message} (errno {errno})");
    }
}
