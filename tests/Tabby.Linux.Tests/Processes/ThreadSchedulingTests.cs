using System.Collections.Concurrent;
using System.Globalization;
using Tabby.Linux.Processes;

namespace Tabby.Linux.Tests.Processes;

/// <summary>SCHED_IDLE for one thread and an EEVDF slice for the whole process, read back from the kernel.</summary>
[Collection(ProcessSchedulingCollection.Name)]
public sealed class ThreadSchedulingTests
{
    private const int SchedOther = 0;
    private const int SchedIdle = 5;

    private static readonly TimeSpan s_requested = TimeSpan.FromMicroseconds(100);

    // Linux 6.12 on reports every fair thread's slice (the default one unless asked otherwise); earlier kernels report
    // 0 and accept a request without applying it, and the assertions below expect exactly that there.
    private static readonly bool s_customSlices = ThreadScheduling.CurrentThreadSlice() > TimeSpan.Zero;

    private static TimeSpan Expected(TimeSpan slice) => s_customSlices ? slice : TimeSpan.Zero;

    [Fact]
    public void An_idle_thread_is_in_SCHED_IDLE_and_the_other_threads_keep_their_policy()
    {
        var testThreadPolicy = Policy("/proc/thread-self/stat");
        // Never the runner's own thread: it would run the tests after this one at SCHED_IDLE.
        using var idle = new DedicatedThread();
        Assert.Equal(SchedOther, idle.Invoke(() => Policy("/proc/thread-self/stat")));

        idle.Invoke(ThreadScheduling.MakeCurrentThreadIdle);

        // Read on the thread itself, and from outside while it is still alive: the policy is the kernel's, not a view of it.
        Assert.Equal(SchedIdle, idle.Invoke(() => Policy("/proc/thread-self/stat")));
        Assert.Equal(SchedIdle, Policy($"/proc/self/task/{idle.Tid}/stat"));
        // The call passes pid 0, the calling thread: a whole-process change would have reached these too.
        Assert.Equal(testThreadPolicy, Policy("/proc/thread-self/stat"));
        Assert.NotEqual(SchedIdle, Policy("/proc/self/stat"));
        // A thread the idle one starts (a pool worker it happens to cause, say) gets the default policy back.
        Assert.Equal(SchedOther, idle.Invoke(() =>
        {
            var policy = -1;
            var child = new Thread(() => policy = Policy("/proc/thread-self/stat"));
            child.Start();
            child.Join();
            return policy;
        }));
    }

    [Fact]
    public void A_requested_slice_reaches_this_thread_and_later_ones_and_zero_gives_the_default_back()
    {
        try
        {
            var taken = ThreadScheduling.RequestSliceForProcess(s_requested);

            // A test host runs many threads: at least this one and the runtime's own took it.
            Assert.True(taken >= 2, $"{taken} threads took the slice");
            Assert.Equal(Expected(s_requested), ThreadScheduling.CurrentThreadSlice());
            // Started after the call, so not in the walk over /proc/self/task: the slice comes with the clone.
            using var later = new DedicatedThread();
            Assert.Equal(Expected(s_requested), later.Invoke(ThreadScheduling.CurrentThreadSlice));
        }
        finally
        {
            ThreadScheduling.RequestSliceForProcess(TimeSpan.Zero);
        }

        // The default is the kernel's base slice (0.7 ms times a factor of the CPU count): never the one asked for, never 0 on 6.12 on.
        var restored = ThreadScheduling.CurrentThreadSlice();
        Assert.NotEqual(s_requested, restored);
        Assert.True(restored > TimeSpan.Zero || !s_customSlices, $"slice {restored} after the restore");
    }

    [Fact]
    public void A_slice_below_the_kernels_minimum_is_clamped_to_100_us()
    {
        try
        {
            ThreadScheduling.RequestSliceForProcess(TimeSpan.FromMicroseconds(1));

            // Whichever side clamps, the thread must not be left with 1 us, or with the default as if nothing were asked.
            Assert.Equal(Expected(TimeSpan.FromMicroseconds(100)), ThreadScheduling.CurrentThreadSlice());
        }
        finally
        {
            ThreadScheduling.RequestSliceForProcess(TimeSpan.Zero);
        }
    }

    [Fact]
    public void A_slice_above_the_kernels_maximum_is_clamped_to_100_ms_and_a_negative_one_is_refused()
    {
        try
        {
            // TimeSpan.MaxValue in nanoseconds overflows a long: it must clamp high, not wrap to the minimum.
            ThreadScheduling.RequestSliceForProcess(TimeSpan.MaxValue);
            Assert.Equal(Expected(TimeSpan.FromMilliseconds(100)), ThreadScheduling.CurrentThreadSlice());
            Assert.Throws<ArgumentOutOfRangeException>(() => ThreadScheduling.RequestSliceForProcess(TimeSpan.FromMilliseconds(-1)));
            Assert.Equal(Expected(TimeSpan.FromMilliseconds(100)), ThreadScheduling.CurrentThreadSlice());
        }
        finally
        {
            ThreadScheduling.RequestSliceForProcess(TimeSpan.Zero);
        }
    }

    [Fact]
    public void A_process_slice_request_leaves_an_idle_thread_as_it_was()
    {
        using var idle = new DedicatedThread();
        idle.Invoke(ThreadScheduling.MakeCurrentThreadIdle);
        var sliceBefore = idle.Invoke(ThreadScheduling.CurrentThreadSlice);
        try
        {
            ThreadScheduling.RequestSliceForProcess(s_requested);

            // Only SCHED_OTHER threads are touched: a latency request for the router does not reach an observer that
            // was put out of its way.
            Assert.Equal(SchedIdle, Policy($"/proc/self/task/{idle.Tid}/stat"));
            Assert.Equal(sliceBefore, idle.Invoke(ThreadScheduling.CurrentThreadSlice));
            Assert.NotEqual(s_requested, sliceBefore);
        }
        finally
        {
            ThreadScheduling.RequestSliceForProcess(TimeSpan.Zero);
        }
    }

    /// <summary>Field 41 of a stat file, the scheduling policy, counted after the last ')': a thread's name may hold spaces and parentheses.</summary>
    private static int Policy(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], CultureInfo.InvariantCulture); // fields[0] is field 3, the state
    }

    /// <summary>A thread of the test's own that runs what it is given, one call at a time, until disposed.</summary>
    private sealed class DedicatedThread : IDisposable
    {
        private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

        private readonly BlockingCollection<Action> _work = new();
        private readonly Thread _thread;

        public DedicatedThread()
        {
            _thread = new Thread(() =>
            {
                foreach (var work in _work.GetConsumingEnumerable())
                    work();
            })
            { IsBackground = true, Name = "scheduling test" };
            _thread.Start();
            // "/proc/thread-self" links to "PID/task/TID"; the managed thread id is not the kernel's.
            Tid = Invoke(() => int.Parse(Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!), CultureInfo.InvariantCulture));
        }

        /// <summary>The kernel's id of the thread.</summary>
        public int Tid { get; }

        public void Invoke(Action action) => Invoke(() =>
        {
            action();
            return true;
        });

        public T Invoke<T>(Func<T> function)
        {
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(function());
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            });
            // A wait that neither throws nor hides the thread's exception in an AggregateException.
            if (!((IAsyncResult)done.Task).AsyncWaitHandle.WaitOne(s_timeout))
                throw new TimeoutException("the dedicated thread did not answer");
            return done.Task.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            _work.CompleteAdding();
            if (_thread.Join(s_timeout))
                _work.Dispose();
        }
    }
}
