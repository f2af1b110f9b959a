using Tabby.Bench.Scale;

namespace Tabby.Bench.Tests.Scale;

public sealed class ProcessFootprintTests
{
    // A smaps_rollup as Linux 6.x writes it (trimmed); Pss_Anon and friends must not be taken for Pss.
    private const string Rollup = """
        55763448b000-7ffd7480f000 ---p 00000000 00:00 0                          [rollup]
        Rss:               51200 kB
        Pss:               20480 kB
        Pss_Dirty:          9000 kB
        Pss_Anon:           8000 kB
        Pss_File:          12480 kB
        Shared_Clean:      30000 kB
        Anonymous:         10240 kB
        AnonHugePages:         0 kB
        """;

    [Fact]
    public void Smaps_rollup_splits_resident_memory_into_anonymous_and_file_backed()
    {
        var footprint = ProcessFootprint.Parse(Rollup);

        Assert.Equal(10.0, footprint.AnonymousMb);
        Assert.Equal(40.0, footprint.FileMb); // Rss - Anonymous
        Assert.Equal(20.0, footprint.PssMb);
    }

    [Fact]
    public void Cpu_seconds_are_utime_plus_stime_after_a_command_name_with_spaces_and_parentheses()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        const string stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194304 101 0 0 0 250 125 0 0 20 0 1 0 1266920 3133440 390";

        Assert.Equal(3.75, ProcessFootprint.ParseCpuSeconds(stat));
    }

    [Fact]
    public void A_process_that_is_gone_has_no_footprint()
    {
        // Pids above pid_max (4194304 at most) never exist.
        Assert.Equal(new ProcessFootprint(0, 0, 0), ProcessFootprint.Of(int.MaxValue));
        Assert.True(double.IsNaN(ProcessFootprint.CpuSeconds(int.MaxValue)));
    }
}
