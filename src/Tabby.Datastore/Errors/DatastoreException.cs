namespace Tabby.Datastore;

/// <summary>The base of every failure the datastore layer reports.</summary>
public class DatastoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatastoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatastoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatastoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
