namespace Tabby.Bgp.Speaker;

/// <summary>Keeps enough thread-pool threads at hand for the speaker's loops, so a burst cannot queue its first route
/// behind itself.</summary>
/// <remarks>
/// A route passes three loops on its way through: the session that decodes it, the RIB loop, and the receiving peer's
/// writer. The pool starts with one thread per core and adds more only slowly. On two cores, at the start of a
/// full-table burst, the decoding session and the RIB loop hold both threads, and the writer's first export waits
/// for one of them to finish a whole read buffer's worth of work. In the BIRD scenario of `./run bench bgp` the
/// first route then reached the receiver after 7-10 ms, where BIRD's single loop takes 0-1. With eight threads at
/// hand the writer gets a turn from the kernel's scheduler instead: 0-4 ms, with peak memory and burst time
/// unchanged. This only raises the minimum; it never lowers a larger one set by the host.
/// </remarks>
public static class SpeakerThreadPool
{
    public const int MinimumWorkers = 8;

    /// <summary>Raises the thread pool's minimum worker count to <see cref="MinimumWorkers"/> if it is lower. Daemons call
    /// it once at start (`tabby bgp run`, `tabby node run`); a library never changes the pool behind its host's back.</summary>
    public static void Reserve()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinimumWorkers)
            ThreadPool.SetMinThreads(MinimumWorkers, io);
    }
}
