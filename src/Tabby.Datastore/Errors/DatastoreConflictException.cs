namespace Tabby.Datastore;

/// <summary>A compare-and-swap lost: the key changed since the caller read it.</summary>
public sealed class DatastoreConflictException : DatastoreException
{
    /// <summary>Creates the exception.</summary>
    public DatastoreConflictException()
    {
        Key = "";
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatastoreConflictException(string message)
        : base(message)
    {
        Key = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatastoreConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Key = "";
    }

    /// <summary>Creates the exception for a key whose state did not match.</summary>
    public DatastoreConflictException(string key, long expectedModRevision, long currentModRevision)
        : base(Describe(key, expectedModRevision, currentModRevision))
    {
        Key = key;
        ExpectedModRevision = expectedModRevision;
        CurrentModRevision = currentModRevision;
    }

    /// <summary>The key that changed.</summary>
    public string Key { get; }

    /// <summary>The mod revision the caller expected (0: expected absent).</summary>
    public long ExpectedModRevision { get; }

    /// <summary>The key's mod revision now (0: it does not exist).</summary>
    public long CurrentModRevision { get; }

    private static string Describe(string key, long expected, long current) => (expected, current) switch
    {
        (0, _) => $"{key} already exists (revision {current})",
        (_, 0) => $"{key} was deleted (expected revision {expected})",
        _ => $"{key} was modified: expected revision {expected}, current revision {current}",
    };
}
