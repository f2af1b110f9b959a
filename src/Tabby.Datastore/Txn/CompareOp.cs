namespace Tabby.Datastore;

/// <summary>How a transaction comparison relates the key's property to the operand.</summary>
public enum CompareOp
{
    /// <summary>Equal.</summary>
    Equal,

    /// <summary>Not equal.</summary>
    NotEqual,

    /// <summary>The key's property is greater than the operand.</summary>
    Greater,

    /// <summary>The key's property is less than the operand.</summary>
    Less,
}
