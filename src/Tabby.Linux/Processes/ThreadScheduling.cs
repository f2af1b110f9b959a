using System.Globalization;
using System.Runtime.InteropServices;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Processes;

/// <summary>The kernel's scheduling of the calling thread, or of this whole process.</summary>
public static unsafe class ThreadScheduling
{
    /// <summary>
    /// Puts the calling thread in SCHED_IDLE, below every nice level: it runs only when a CPU has nothing else to do,
    /// and a wake-up of it never preempts another thread. Threads it starts get the default policy back.
    /// </summary>
    /// <remarks>
    /// For observers that must not disturb what they observe: a benchmark's packet tap woken for every packet took
    /// a share of the device's CPU on a two-core machine, mid-measurement.
    /// </remarks>
    public static void MakeCurrentThreadIdle()
    {
        var priority = 0;
        if (Libc.sched_setscheduler(0, Libc.SCHED_IDLE | Libc.SCHED_RESET_ON_FORK, &priority) != 0)
            throw Failure("sched_setscheduler(SCHED_IDLE)");
    }

    /// <summary>Puts the calling thread back in SCHED_OTHER, the default policy (after <see cref="MakeCurrentThreadIdle"/>).</summary>
    public static void MakeCurrentThreadNormal()
    {
        var priority = 0;
        if (Libc.sched_setscheduler(0, Libc.SCHED_OTHER | Libc.SCHED_RESET_ON_FORK, &priority) != 0)
            throw Failure("sched_setscheduler(SCHED_OTHER)");
    }

    /// <summary>
    /// Asks for a short time slice for every thread of this process, and so for the threads it starts later (they
    /// inherit it): a thread woken with a shorter slice than the running one's preempts it (EEVDF, Linux 6.12 on).
    /// Its share of the CPU stays what it was; it gets it in shorter, earlier pieces. Returns how many threads took
    /// it; earlier kernels accept the call and ignore the slice.
    /// </summary>
    /// <remarks>
    /// For a router's latency: without it, a speaker woken by the first UPDATE of a burst waited for the peer that
    /// sent it (busy on the same core) to use up its default slice, 1 to 1.5 ms here, before it could pass the
    /// route on in a fraction of that. Only SCHED_OTHER threads are touched, and their nice level is kept. A thread
    /// started while the threads are walked may keep its creator's old slice.
    /// </remarks>
    /// <param name="slice">0.1 to 100 ms (clamped); zero gives the threads the kernel's default slice back.</param>
    public static int RequestSliceForProcess(TimeSpan slice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice, TimeSpan.Zero);
        var nanoseconds = slice == TimeSpan.Zero ? 0UL
            : slice >= TimeSpan.FromMilliseconds(100) ? 100_000_000UL
            : (ulong)Math.Max(slice.Ticks * 100, 100_000);
        var (getattr, setattr) = SystemCalls();
        var taken = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
                continue;
            var attr = new Libc.SchedAttr();
            if (Libc.sched_getattr(getattr, tid, &attr, (uint)sizeof(Libc.SchedAttr), 0) != 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.ESRCH)
                    continue; // the thread ended meanwhile
                throw Failure($"sched_getattr({tid})");
            }
            if (attr.Policy != Libc.SCHED_OTHER)
                continue;
            attr.Size = (uint)sizeof(Libc.SchedAttr);
            attr.Runtime = nanoseconds;
            if (Libc.sched_setattr(setattr, tid, &attr, 0) != 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.ESRCH)
                    continue;
                throw Failure($"sched_setattr({tid})");
            }
            taken++;
        }
        return taken;
    }

    /// <summary>The slice the kernel gives the calling thread (sched_attr.sched_runtime: the default one unless asked otherwise; 0 on kernels before 6.12).</summary>
    public static TimeSpan CurrentThreadSlice()
    {
        var attr = new Libc.SchedAttr();
        if (Libc.sched_getattr(SystemCalls().GetAttr, 0, &attr, (uint)sizeof(Libc.SchedAttr), 0) != 0)
            throw Failure("sched_getattr");
        return TimeSpan.FromTicks((long)(attr.Runtime / 100));
    }

    private static (long GetAttr, long SetAttr) SystemCalls() =>
        Libc.SYS_sched_getattr is { } get && Libc.SYS_sched_setattr is { } set
            ? (get, set)
            : throw new IOException($"sched_setattr: no system call number known for {RuntimeInformation.ProcessArchitecture}");

    private static IOException Failure(string what)
    {
        var (errno, message) = Libc.LastError();
        return new IOException($"{what}: {message} (errno {errno})");
    }
}
