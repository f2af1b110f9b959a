namespace Tabby.Datastore;

/// <summary>What a transaction operation does.</summary>
public enum TxnOpKind
{
    /// <summary>Write the key.</summary>
    Put,

    /// <summary>Delete the key.</summary>
    Delete,

    /// <summary>Read the key (its state is returned in <see cref="TxnResult.Reads"/>).</summary>
    Get,
}
