namespace Tabby.Datastore;

/// <summary>Which property of a key a transaction comparison looks at.</summary>
public enum CompareTarget
{
    /// <summary>The key's mod revision (0 when absent).</summary>
    ModRevision,

    /// <summary>The key's create revision (0 when absent), which makes existence checks.</summary>
    CreateRevision,

    /// <summary>The key's version (0 when absent).</summary>
    Version,

    /// <summary>The key's value; a comparison on the value of an absent key is false.</summary>
    Value,
}
