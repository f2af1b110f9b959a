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
}
