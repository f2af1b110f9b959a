namespace Tabby.Datastore;

/// <summary>There is no datastore where one was named, and the caller asked not to create it (a reader should not leave an empty one behind).</summary>
public sealed class DatastoreMissingException : DatastoreException
{
    /// <summary>Creates the exception.</summary>
    public DatastoreMissingException()
    {
        Path = "";
    }

    /// <summary>Creates the exception for the full path of a file that does not exist.</summary>
    public DatastoreMissingException(string path)
        : base($"no datastore at {path}")
    {
        Path = path;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatastoreMissingException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Path = "";
    }

    /// <summary>Where the datastore was expected, e.g. <c>/var/lib/tabby/tabby.db</c>.</summary>
    public string Path { get; }
}
