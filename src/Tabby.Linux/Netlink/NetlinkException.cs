using System.Runtime.InteropServices;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Netlink;

/// <summary>A request the kernel refused: the errno, the request that failed, and the kernel's own words when it gave any.</summary>
public class NetlinkException : Exception
{
    public NetlinkException(int errno, string request, string? kernelMessage = null)
        : base(Format(errno, request, kernelMessage))
    {
        Errno = errno;
        Request = request;
        KernelMessage = kernelMessage;
    }

    public NetlinkException(string message, Exception? inner = null)
        : base(message, inner)
    {
        Request = string.Empty;
    }

    public NetlinkException()
        : this("netlink request failed")
    {
    }

    public NetlinkException(string message)
        : this(message, null)
    {
    }

    /// <summary>The positive errno (e.g. 17 for EEXIST), or 0 when the failure was not an errno.</summary>
    public int Errno { get; }

    public string ErrnoName => Errno == 0 ? string.Empty : Interop.Errno.Name(Errno);

    /// <summary>A one-line description of the request, e.g. "RTM_NEWROUTE 10.0.0.1/32 dev 3 table 254".</summary>
    public string Request { get; }

    /// <summary>The extended-ack message the kernel attached, if any (NETLINK_EXT_ACK).</summary>
    public string? KernelMessage { get; }

    /// <summary>The kernel's answer without the request, e.g. "Network is unreachable (ENETUNREACH); kernel says: ..."
    /// (for a caller that names the object itself); the message when the failure was not an errno.</summary>
    public string Reason => Errno == 0 ? Message : Describe(Errno, KernelMessage);

    private static string Format(int errno, string request, string? kernelMessage) => $"{request}: {Describe(errno, kernelMessage)}";

    private static string Describe(int errno, string? kernelMessage)
    {
        var text = $"{Marshal.GetPInvokeErrorMessage(errno)} ({Interop.Errno.Name(errno)})";
        return string.IsNullOrEmpty(kernelMessage) ? text : $"{text}; kernel says: {kernelMessage}";
    }
}
