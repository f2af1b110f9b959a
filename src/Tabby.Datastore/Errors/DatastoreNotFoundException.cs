namespace Tabby.Datastore;

/// <summary>A key or lease that the operation needs does not exist.</summary>
public sealed class DatastoreNotFoundException : DatastoreException
{
    /// <summary>Creates the exception.</summary>
    public DatastoreNotFoundException()
    {
        Key = "";
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatastoreNotFoundException(string message)
        : base(message)
    {
        Key = "";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatastoreNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Key = "";
    }

    /// <summary>Creates the exception for a missing key or lease.</summary>
    public DatastoreNotFoundException(string key, string message)
        : base(message)
    {
        Key = key;
    }

    /// <summary>The missing key, or the lease id as text.</summary>
    public string Key { get; }

    internal static DatastoreNotFoundException ForKey(string key) => new(key, $"{key} not found");

    internal static DatastoreNotFoundException ForLease(long leaseId) =>
        new(leaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"lease {leaseId:x} not found (expired or revoked)");
}
