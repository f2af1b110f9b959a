namespace Tabby.Datastore;

/// <summary>Commits a batch of guarded writes all-or-nothing, also when it is larger than one transaction may be (etcd's <c>--max-txn-ops</c>).</summary>
/// <remarks>
/// A batch that fits in <see cref="IDatastore.MaxTxnOps"/> is one compare-and-swap transaction (always so on SQLite, which has no limit).
/// A larger one is committed in chunks, in order. If a chunk loses a comparison or fails, every chunk already
/// committed is undone: each key gets back the state it was planned against, guarded on the mod revision this
/// batch gave it, so a change someone else made since is kept, never overwritten. A chunk whose outcome is
/// unknown (the call failed) is undone only where the key still holds this batch's value. Until the undo, other
/// readers can see the first chunks; an undone key has its old value at a new revision.
/// </remarks>
public static class AtomicBatch
{
    /// <summary>Writes every one of <paramref name="writes"/> or, as far as the datastore lets it, none.</summary>
    /// <remarks>A batch that fits is exactly one <see cref="IDatastore.TxnAsync"/>, and fails as that does: atomic, nothing to undo.
    /// A split batch reports datastore failures in the result instead, with what was undone. The undo is not cancelled by
    /// <paramref name="cancellationToken"/>: stopping halfway would leave the batch half-applied.</remarks>
    /// <exception cref="ArgumentException">A write is a get, names its key twice, or expects a state of another key.</exception>
    /// <exception cref="DatastoreException">The one transaction of a batch that fits failed.</exception>
    public static async Task<AtomicBatchResult> CommitBatchAsync(
        this IDatastore store, IReadOnlyList<GuardedWrite> writes, AtomicBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(writes);
        Check(writes);
        options ??= new AtomicBatchOptions();
        if (writes.Count == 0)
        {
            return new AtomicBatchResult { Outcome = AtomicBatchOutcome.Committed };
        }

        var limit = Math.Max(1, store.MaxTxnOps);
        if (writes.Count <= limit)
        {
            var single = await store.TxnAsync(Request(writes), cancellationToken).ConfigureAwait(false);
            return single.Succeeded
                ? new AtomicBatchResult { Outcome = AtomicBatchOutcome.Committed, Transactions = 1, Written = writes.Count, Revision = single.Revision }
                : new AtomicBatchResult { Outcome = AtomicBatchOutcome.Conflict, ConflictingKeys = Conflicts(writes, single) };
        }

        var committed = new List<UndoStep>();
        var transactions = 0;
        long revision = 0;
        foreach (var chunk in writes.Chunk(limit))
        {
            TxnResult result;
            try
            {
                result = await store.TxnAsync(Request(chunk), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatastoreException or OperationCanceledException)
            {
                // The call may have committed before it failed: undo this chunk too, wherever it did land.
                var uncertain = chunk.Select(w => new UndoStep(
                    w.Key,
                    w.Op.Kind == TxnOpKind.Put ? Compare.ValueIs(w.Key, w.Op.Value ?? []) : Compare.Missing(w.Key),
                    RestoreOp(w),
                    w.Expected,
                    Certain: false));
                return await UndoAsync(store, [.. uncertain, .. Enumerable.Reverse(committed)], limit, options, transactions, revision, [], e).ConfigureAwait(false);
            }

            if (!result.Succeeded)
            {
                return await UndoAsync(store, [.. Enumerable.Reverse(committed)], limit, options, transactions, revision, Conflicts(chunk, result), null).ConfigureAwait(false);
            }

            transactions++;
            revision = result.Revision;
            for (var i = 0; i < chunk.Length; i++)
            {
                var w = chunk[i];
                // A put's result is the state it wrote; a deleted key has no revision to compare, only absence.
                var guard = w.Op.Kind == TxnOpKind.Put ? Compare.ModRevisionIs(w.Key, result.Results[i]!.ModRevision) : Compare.Missing(w.Key);
                committed.Add(new UndoStep(w.Key, guard, RestoreOp(w), w.Expected, Certain: true));
            }
        }

        return new AtomicBatchResult { Outcome = AtomicBatchOutcome.Committed, Transactions = transactions, Written = writes.Count, Revision = revision };
    }

    private static async Task<AtomicBatchResult> UndoAsync(
        IDatastore store, List<UndoStep> pending, int limit, AtomicBatchOptions options,
        int transactions, long revision, List<string> conflicts, Exception? error)
    {
        var written = pending.Count(s => s.Certain);
        var kept = new List<string>();
        Exception? undoError = null;
        var attempt = 0;
        while (pending.Count > 0)
        {
            var chunk = pending.Take(limit).ToList();
            TxnResult result;
            try
            {
                result = await store.TxnAsync(
                    new TxnRequest { If = [.. chunk.Select(s => s.Guard)], Then = [.. chunk.Select(s => s.Restore)], Else = [.. chunk.Select(s => TxnOp.Get(s.Key))] },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DatastoreException or OperationCanceledException)
            {
                undoError = e;
                if (attempt == options.UndoRetryDelays.Count)
                {
                    break;
                }

                await Task.Delay(options.UndoRetryDelays[attempt++], CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (result.Succeeded)
            {
                written += chunk.Count(s => !s.Certain);
                pending.RemoveRange(0, chunk.Count);
                continue;
            }

            // Settle the keys whose guard failed from what the else branch read, then retry the rest of the chunk.
            var settled = 0;
            for (var i = 0; i < chunk.Count; i++)
            {
                var current = result.Results[i];
                if (chunk[i].Guard.Evaluate(current))
                {
                    continue;
                }

                settled++;
                pending.Remove(chunk[i]);
                // Already as planned: an earlier attempt whose reply was lost did it, or this batch's write never landed.
                if (!chunk[i].IsRestored(current))
                {
                    kept.Add(chunk[i].Key);
                }
            }

            if (settled == 0)
            {
                undoError = new DatastoreException("the undo's comparisons failed although every key read back as expected");
                break;
            }
        }

        return new AtomicBatchResult
        {
            Outcome = error is null ? AtomicBatchOutcome.Conflict : AtomicBatchOutcome.Failed,
            Transactions = transactions,
            Written = written,
            Revision = revision,
            ConflictingKeys = conflicts,
            Error = error,
            KeptTheirs = kept,
            NotRestored = [.. pending.Select(s => s.Key)],
            UndoError = pending.Count > 0 ? undoError : null,
        };
    }

    private static TxnRequest Request(IReadOnlyList<GuardedWrite> chunk) => new()
    {
        If = [.. chunk.Select(w => w.Guard)],
        Then = [.. chunk.Select(w => w.Op)],
        // Read back on failure, so the conflicting keys are named from the very state that failed the guard.
        Else = [.. chunk.Select(w => TxnOp.Get(w.Key))],
    };

    /// <summary>The keys whose guard failed, judged from the else branch's reads, made at the revision the comparison failed at.</summary>
    private static List<string> Conflicts(IReadOnlyList<GuardedWrite> writes, TxnResult failed) =>
        [.. writes.Where((w, i) => !w.Guard.Evaluate(failed.Results[i])).Select(w => w.Key)];

    private static TxnOp RestoreOp(GuardedWrite w) =>
        w.Expected is { } before ? TxnOp.Put(w.Key, before.Value, before.LeaseId) : TxnOp.Delete(w.Key);

    private static void Check(IReadOnlyList<GuardedWrite> writes)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in writes)
        {
            ArgumentNullException.ThrowIfNull(w, nameof(writes));
            if (w.Op.Kind == TxnOpKind.Get)
            {
                throw new ArgumentException($"{w.Key}: a batch holds puts and deletes, not gets", nameof(writes));
            }

            if (w.Expected is { } e && e.Key != w.Key)
            {
                throw new ArgumentException($"{w.Key}: expected state is of another key ({e.Key})", nameof(writes));
            }

            // One transaction cannot touch a key twice, and an undo could not tell which write to reverse.
            if (!keys.Add(w.Key))
            {
                throw new ArgumentException($"{w.Key}: written twice in one batch", nameof(writes));
            }
        }
    }
}
