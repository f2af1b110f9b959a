using System.Runtime.InteropServices;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Processes;

/// <summary>Signals to processes Tabby started, by pid (never by name).</summary>
public static class Signals
{
    /// <summary>Asks a process to stop (SIGTERM); false when it no longer exists.</summary>
    public static bool Terminate(int pid)
    {
        if (Libc.kill(pid, Libc.SIGTERM) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ESRCH ? false : throw new IOException($"kill({pid}, SIGTERM): {Marshal.GetPInvokeErrorMessage(errno)}");
    }
}
