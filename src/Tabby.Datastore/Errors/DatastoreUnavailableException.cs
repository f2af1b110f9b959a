namespace Tabby.Datastore;

/// <summary>The datastore could not be reached or opened.</summary>
public sealed class DatastoreUnavailableException : DatastoreException
{
    /// <summary>Creates the exception.</summary>
    public DatastoreUnavailableException()
    {
        Endpoint = "";
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatastoreUnavailableException(string message)
        : base(message)
    {
        Endpoint = "";
    }

    /// <summary>Creates the exception for an endpoint, naming the cause.</summary>
    public DatastoreUnavailableException(string endpoint, Exception? innerException)
        : base($"datastore {endpoint} is unavailable: {innerException?.Message ?? "unknown cause"}", innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The endpoint (or endpoints) that failed, e.g. <c>http://127.0.0.1:2379</c>.</summary>
    public string Endpoint { get; }
}
