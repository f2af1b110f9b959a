using Tabby.Bgp.Speaker;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>The daemons' thread-pool reservation raises the minimum and never lowers it.</summary>
public sealed class SpeakerThreadPoolTests
{
    [Fact]
    public void Reserve_raises_the_minimum_worker_count_and_never_lowers_a_larger_one()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        try
        {
            SpeakerThreadPool.Reserve();
            ThreadPool.GetMinThreads(out var reserved, out var reservedIo);
            Assert.Equal(Math.Max(workers, SpeakerThreadPool.MinimumWorkers), reserved);
            Assert.Equal(io, reservedIo);

            Assert.True(ThreadPool.SetMinThreads(SpeakerThreadPool.MinimumWorkers * 2, io));
            SpeakerThreadPool.Reserve();
            ThreadPool.GetMinThreads(out var larger, out _);
            Assert.Equal(SpeakerThreadPool.MinimumWorkers * 2, larger);
        }
        finally
        {
            // Put the test process's pool back as it was.
            ThreadPool.SetMinThreads(workers, io);
        }
    }
}
