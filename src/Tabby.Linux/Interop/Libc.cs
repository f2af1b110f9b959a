using System.Runtime.InteropServices;

namespace Tabby.Linux.Interop;

/// <summary>The libc calls Tabby.Linux needs; the only place in the project that crosses into native code.</summary>
internal static unsafe partial class Libc
{
    private const string LibraryName = "libc";

    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_ROUTE = 0;

    public const int SOL_SOCKET = 1;
    public const int SO_SNDBUF = 7;
    public const int SO_RCVBUF = 8;
    public const int SO_SNDBUFFORCE = 32;
    public const int SO_RCVBUFFORCE = 33;

    public const int SOL_NETLINK = 270;
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    public const int CLONE_NEWNET = 0x40000000;

    public const int SIGTERM = 15;

    public const ulong MS_BIND = 4096;
    public const ulong MS_REC = 16384;
    public const ulong MS_SHARED = 1 << 20;
    public const int MNT_DETACH = 2;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int bind(int fd, SockaddrNl* address, int addressLength);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockname(int fd, SockaddrNl* address, int* addressLength);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setsockopt(int fd, int level, int name, void* value, int length);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int unshare(int flags);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fileSystemType, ulong flags, nint data);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport(LibraryName)]
    public static partial int gettid();

    public const int MADV_DONTNEED = 4;

    public const int AF_PACKET = 17;
    public const int SOCK_DGRAM = 2;

    // ETH_P_ALL (0x0003) in network byte order, as socket() wants the protocol of a packet socket.
    public const int ETH_P_ALL_NETWORK_ORDER = 0x0300;
    public const int SO_RCVTIMEO = 20;

    // The kernel's timestamp of the last packet read, as a struct timespec (64-bit fields on x86-64).
    public const ulong SIOCGSTAMPNS = 0x8907;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial nint recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, Timespec* value);

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int madvise(nint address, nuint length, int advice);

    /// <summary>The errno of the last call, and its text, for messages people can act on.</summary>
    public static (int Errno, string Message) LastError()
    {
        var errno = Marshal.GetLastPInvokeError();
        return (errno, Marshal.GetPInvokeErrorMessage(errno));
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    // The packet socket's counters since the last read of them (struct tpacket_stats).
    public const int SOL_PACKET = 263;
    public const int PACKET_STATISTICS = 6;

    [StructLayout(LayoutKind.Sequential)]
    public struct TpacketStats
    {
        public uint Packets;
        public uint Drops;
    }

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int getsockopt(int fd, int level, int name, void* value, int* length);

    // SCHED_OTHER: the default policy. SCHED_IDLE: below every nice level; the thread runs only on a CPU that nothing else wants.
    public const int SCHED_OTHER = 0;
    public const int SCHED_IDLE = 5;

    [LibraryImport(LibraryName, SetLastError = true)]
    public static partial int sched_setscheduler(int pid, int policy, int* priority);

    // sched_getattr/sched_setattr have no glibc wrapper on Debian 12: the raw system calls, whose numbers differ by
    // architecture (x86-64 314/315, arm64 274/275); null elsewhere.
    public static long? SYS_sched_setattr => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 314,
        Architecture.Arm64 => 274,
        _ => null,
    };

    public static long? SYS_sched_getattr => SYS_sched_setattr + 1;

    // Or'ed into a policy: threads the caller starts get the default policy, not this one.
    public const int SCHED_RESET_ON_FORK = 0x40000000;

    /// <summary>struct sched_attr, version 1 (56 bytes). For SCHED_OTHER, since Linux 6.12, Runtime is the thread's slice.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
        public uint UtilMin;
        public uint UtilMax;
    }

    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
    public static partial long sched_getattr(long number, int tid, SchedAttr* attr, uint size, uint flags);

    [LibraryImport(LibraryName, EntryPoint = "syscall", SetLastError = true)]
    public static partial long sched_setattr(long number, int tid, SchedAttr* attr, uint flags);
}
