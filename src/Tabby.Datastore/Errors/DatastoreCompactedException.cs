namespace Tabby.Datastore;

/// <summary>The history a read or watch needs was compacted away; re-list, then watch from the list's revision + 1.</summary>
public sealed class DatastoreCompactedException : DatastoreException
{
    /// <summary>Creates the exception.</summary>
    public DatastoreCompactedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatastoreCompactedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatastoreCompactedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a revision below the compaction point.</summary>
    public DatastoreCompactedException(long requestedRevision, long compactRevision)
        : base($"revision {requestedRevision} has been compacted (history starts at {compactRevision}); re-list")
    {
        RequestedRevision = requestedRevision;
        CompactRevision = compactRevision;
    }

    /// <summary>The revision the caller asked for.</summary>
    public long RequestedRevision { get; }

    /// <summary>The oldest revision still available.</summary>
    public long CompactRevision { get; }
}
