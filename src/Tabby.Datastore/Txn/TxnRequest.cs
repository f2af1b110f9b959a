namespace Tabby.Datastore;

/// <summary>A compare-and-swap transaction: if every comparison holds run <see cref="Then"/>, otherwise <see cref="Else"/>.</summary>
public sealed record TxnRequest
{
    /// <summary>The guards; all must hold (an empty list always holds).</summary>
    public IReadOnlyList<Compare> If { get; init; } = [];

    /// <summary>Operations run when every guard holds.</summary>
    public IReadOnlyList<TxnOp> Then { get; init; } = [];

    /// <summary>Operations run when a guard fails.</summary>
    public IReadOnlyList<TxnOp> Else { get; init; } = [];

    /// <summary>Throws when a branch writes one key twice; etcd refuses such transactions ("duplicate key given in txn request").</summary>
    /// <remarks>Every write of a transaction shares one revision, so a key can change only once in it.</remarks>
    /// <exception cref="DatastoreException">A branch puts or deletes the same key twice.</exception>
    public void ThrowIfDuplicateWrites()
    {
        Check(Then, "then");
        Check(Else, "else");

        static void Check(IReadOnlyList<TxnOp> ops, string branch)
        {
            if (ops.Count < 2)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var op in ops)
            {
                if (op.Kind != TxnOpKind.Get && !seen.Add(op.Key))
                {
                    throw new DatastoreException($"the transaction's {branch} branch writes key '{op.Key}' more than once");
                }
            }
        }
    }
}
