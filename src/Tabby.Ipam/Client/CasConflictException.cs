namespace Tabby.Ipam.Client;

/// <summary>A compare-and-swap lost a race: re-read and try again. Never leaves <see cref="CasRetry"/>.</summary>
internal sealed class CasConflictException : Exception
{
    public CasConflictException()
        : base("a concurrent writer changed the data first")
    {
    }

    public CasConflictException(string message)
        : base(message)
    {
    }

    public CasConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
