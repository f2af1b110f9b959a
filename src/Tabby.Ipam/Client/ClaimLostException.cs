namespace Tabby.Ipam.Client;

/// <summary>A block cannot be had: another host owns it, the affinity was stale, or it changed under a guarded release. Try another.</summary>
internal sealed class ClaimLostException : Exception
{
    public ClaimLostException()
    {
    }

    public ClaimLostException(string message)
        : base(message)
    {
    }

    public ClaimLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
