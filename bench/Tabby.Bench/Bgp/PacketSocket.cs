using System.Runtime.InteropServices;

namespace Tabby.Bench.Bgp;

/// <summary>The libc calls behind <see cref="WireCapture"/>: a cooked AF_PACKET socket and the kernel's receive timestamps.</summary>
internal static partial class PacketSocket
{
    public const int AF_PACKET = 17;
    public const int SOCK_DGRAM = 2;
    public const int SOCK_CLOEXEC = 0x80000;

    // ETH_P_ALL (0x0003) in network byte order, as socket() wants the protocol of a packet socket. Not ETH_P_IP:
    // frames that enter a bridge port are taken by the bridge before protocol taps, and only "all" taps see them.
    public const int EthPAllNetworkOrder = 0x0300;
    public const int SOL_SOCKET = 1;
    public const int SO_RCVBUFFORCE = 33;
    public const int SO_RCVTIMEO = 20;

    // SIOCGSTAMPNS: the kernel's timestamp of the last packet read, as a struct timespec (64-bit fields on x86-64).
    public const ulong SIOCGSTAMPNS = 0x8907;

    /// <summary>struct timespec; with microseconds in the second field it is also the layout of struct timeval.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, ref Timespec value, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, ref int value, int length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(int fd, [Out] byte[] buffer, nint length, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, out Timespec value);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);
}
