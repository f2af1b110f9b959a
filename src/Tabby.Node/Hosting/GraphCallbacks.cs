using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tabby.Datastore.Syncer;
using Tabby.Node.Calc;
using Tabby.Node.Dataplane;
using Tabby.Node.Status;

namespace Tabby.Node.Hosting;

/// <summary>Feeds the syncer's output through the calculation graph and hands each resulting batch to the dataplane.</summary>
/// <remarks>The syncer never calls concurrently; the lock is for status readers on other threads.</remarks>
internal sealed partial class GraphCallbacks(CalcGraph graph, DataplaneDriver driver, AgentMetrics metrics, ILogger logger, Action? overlayChanged = null) : ISyncerCallbacks
{
    private readonly Lock _lock = new();
    private SyncStatus _status = SyncStatus.WaitingForDatastore;

    public SyncStatus Status => _status;

    public void OnStatusUpdated(SyncStatus status)
    {
        DataplaneBatch? batch;
        lock (_lock)
        {
            graph.OnStatus(status);
            batch = graph.Flush();
            _status = status;
        }

        metrics.InSync.Set(status == SyncStatus.InSync ? 1 : 0);
        LogSyncStatus(logger, status.ToString());
        if (batch is not null)
            Enqueue(batch);
    }

    public void OnUpdates(IReadOnlyList<SyncerUpdate> updates)
    {
        var started = Stopwatch.GetTimestamp();
        DataplaneBatch? batch;
        IReadOnlyList<string> problems;
        lock (_lock)
        {
            graph.OnUpdates(updates);
            batch = graph.Flush();
            problems = graph.DrainProblems();
        }

        metrics.DatastoreUpdates.Inc(updates.Count);
        metrics.CalcSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        foreach (var problem in problems)
            LogIgnored(logger, problem);
        if (batch is not null)
            Enqueue(batch);
    }

    private void Enqueue(DataplaneBatch batch)
    {
        driver.Enqueue(batch);
        // The tunnel address follows the pools: the agent allocates or releases it outside the graph.
        if (batch.Overlay is not null)
            overlayChanged?.Invoke();
    }

    /// <summary>Reads the graph's counters under the lock.</summary>
    public T Read<T>(Func<CalcGraph, T> read)
    {
        lock (_lock)
            return read(graph);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "datastore sync: {Status}")]
    private static partial void LogSyncStatus(ILogger logger, string status);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "ignored: {Problem}")]
    private static partial void LogIgnored(ILogger logger, string problem);
}
