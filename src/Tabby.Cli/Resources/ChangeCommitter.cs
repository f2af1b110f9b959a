using Tabby.Datastore;

namespace Tabby.Cli.Resources;

/// <summary>Writes planned changes in as few compare-and-swap transactions as the datastore allows (one, unless etcd's limit splits them).</summary>
public static class ChangeCommitter
{
    /// <summary>Commits and prints one line per resource; returns the exit code.</summary>
    public static async Task<int> CommitAsync(ResourceStore store, IReadOnlyList<PlannedChange> changes, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var writes = changes.Where(c => c.Op is not null).ToList();
        var written = 0;
        foreach (var chunk in writes.Chunk(store.MaxOpsPerTransaction))
        {
            var result = await store.Datastore.TxnAsync(
                new TxnRequest { If = [.. chunk.Select(c => c.Guard)], Then = [.. chunk.Select(c => c.Op!)] },
                cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                // Someone wrote in between planning and committing: name who lost, so the user can re-read and retry.
                foreach (var change in chunk)
                {
                    var now = await store.Datastore.GetAsync(change.Key.Path, cancellationToken).ConfigureAwait(false);
                    if (!change.StillHolds(now))
                        await error.WriteLineAsync($"{change.Prefix}{ResourceNames.Display(change.Key)}: changed by someone else while this command ran; get it again and retry").ConfigureAwait(false);
                }
                await error.WriteLineAsync(written == 0
                    ? "nothing was changed"
                    : $"{written} of {writes.Count} changes were written before the conflict (more than {store.MaxOpsPerTransaction} do not fit in one transaction)").ConfigureAwait(false);
                return written == 0 ? ExitCodes.Conflict : ExitCodes.SomeFailed;
            }
            written += chunk.Length;
        }
        foreach (var change in changes)
            await output.WriteLineAsync($"{ResourceNames.Display(change.Key)} {change.Verb}").ConfigureAwait(false);
        return ExitCodes.Ok;
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
