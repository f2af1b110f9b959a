namespace Tabby.Ipam.Errors;

/// <summary>An IPAM request that cannot be satisfied, with the reason in words and as a code.</summary>
public sealed class IpamException : Exception
{
    public IpamException()
        : this(IpamErrorCode.InvalidRequest, "IPAM request failed")
    {
    }

    public IpamException(string message)
        : this(IpamErrorCode.InvalidRequest, message)
    {
    }

    public IpamException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = IpamErrorCode.InvalidRequest;
    }

    public IpamException(IpamErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The kind of failure.</summary>
    public IpamErrorCode Code { get; }
}
