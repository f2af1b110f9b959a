using System.Runtime.ExceptionServices;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>Writes planned changes all-or-nothing: one compare-and-swap transaction, or (past etcd's limit) several undone together on failure.</summary>
public static class ChangeCommitter
{
    /// <summary>Commits and prints one line per resource; returns the exit code.</summary>
    /// <remarks>A datastore failure is rethrown, after saying what was written and undone, so the caller reports it like any other.</remarks>
    public static async Task<int> CommitAsync(
        ResourceClient store, IReadOnlyList<PlannedChange> changes, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        AtomicBatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var writes = changes.Select(c => c.Write).OfType<GuardedWrite>().ToList();
        var result = await store.CommitAsync(changes, options, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            foreach (var change in changes)
                await output.WriteLineAsync($"{ResourceNames.Display(change.Key)} {change.Verb}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var byKey = changes.ToDictionary(c => c.Key.Path, StringComparer.Ordinal);
        string Name(string key) => byKey[key].Prefix + ResourceNames.Display(byKey[key].Key);

        // Someone wrote in between planning and committing: name who lost, so the user can re-read and retry.
        foreach (var key in result.ConflictingKeys)
            await error.WriteLineAsync($"{Name(key)}: changed by someone else while this command ran; get it again and retry").ConfigureAwait(false);
        foreach (var key in result.KeptTheirs)
            await error.WriteLineAsync($"{Name(key)}: changed by someone else after this command wrote it; left as they made it").ConfigureAwait(false);
        foreach (var key in result.NotRestored)
            await error.WriteLineAsync($"{Name(key)}: not undone; it may still hold this command's change").ConfigureAwait(false);

        if (result.NotRestored.Count > 0)
        {
            if (result.Error is { } cause)
                await error.WriteLineAsync($"the write failed: {cause.Message}").ConfigureAwait(false);
            await error.WriteLineAsync($"the undo failed: {result.UndoError?.Message}").ConfigureAwait(false);
            await error.WriteLineAsync($"partly applied: {result.NotRestored.Count} of {writes.Count} changes may remain (listed above); check them with 'tabby get'").ConfigureAwait(false);
            return ExitCodes.PartlyApplied;
        }

        if (result.Written == 0)
        {
            await error.WriteLineAsync("nothing was changed").ConfigureAwait(false);
        }
        else
        {
            var limit = store.Datastore.MaxTxnOps;
            var split = writes.Count > limit && result.Transactions > 0
                ? $" in {result.Transactions} transaction{(result.Transactions == 1 ? "" : "s")} (at most {limit} changes fit in one)"
                : "";
            var when = result.Error is null ? "" : " when the datastore failed";
            var kept = result.KeptTheirs.Count > 0 ? $", except {result.KeptTheirs.Count} that someone else changed since (listed above)" : "";
            await error.WriteLineAsync($"nothing was changed: {result.Written} of {writes.Count} changes had been written{split}{when} and were undone{kept}").ConfigureAwait(false);
        }

        if (result.Error is { } failure)
            ExceptionDispatchInfo.Throw(failure);
        return ExitCodes.Conflict;
    }

    /// <summary>Prints why nothing was written and returns the exit code the plan's failures stand for.</summary>
    public static Task<int> RefuseAsync(IReadOnlyList<PlanFailure> failures, int total, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return RefuseAsync([.. failures.Select(ResourceFailure.From)], total, error);
    }

    /// <summary>Prints why nothing was written and returns the exit code the failures stand for.</summary>
    public static async Task<int> RefuseAsync(IReadOnlyList<ResourceFailure> failures, int total, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(error);
        foreach (var failure in failures)
            await error.WriteLineAsync(failure.Message).ConfigureAwait(false);
        await error.WriteLineAsync($"nothing was changed: {failures.Count} of {total} resource(s) failed").ConfigureAwait(false);
        return ResourceFailure.ExitCodeFor(failures);
    }
}
