namespace Tabby.Cni.Protocol;

/// <summary>A failure with its CNI error code; the host prints it as the CNI error object and exits non-zero.</summary>
public sealed class CniException : Exception
{
    public CniException()
        : this(CniErrorCode.Internal, "CNI plugin failure")
    {
    }

    public CniException(string message)
        : this(CniErrorCode.Internal, message)
    {
    }

    public CniException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = CniErrorCode.Internal;
    }

    public CniException(int code, string message, string? details = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Details = details;
    }

    /// <summary>The CNI error code.</summary>
    public int Code { get; }

    /// <summary>The longer explanation (CNI's <c>details</c>), or null.</summary>
    public string? Details { get; }

    /// <summary>When set, this exact JSON (a delegated plugin's own error) is printed instead of one built from the fields.</summary>
    public byte[]? RawError { get; init; }
}
