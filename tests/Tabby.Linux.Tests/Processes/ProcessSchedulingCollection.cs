namespace Tabby.Linux.Tests.Processes;

/// <summary>Tests that change how the kernel schedules this whole test process: they run alone, after the parallel ones.</summary>
/// <remarks>
/// A slice asked for every thread of the process would otherwise reach the threads of tests running beside it (and
/// their threads would be counted, or started mid-test with the slice), and a restore would undo another test's request.
/// </remarks>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessSchedulingCollection
{
    public const string Name = "process scheduling";
}
