namespace Tabby.Bgp.Wire;

/// <summary>The only exception the decoder throws: a malformed message and the NOTIFICATION it calls for.</summary>
public sealed class BgpWireException : Exception
{
    public BgpWireException(BgpErrorCode code, byte subcode, string reason, byte[]? data = null)
        : base($"{BgpErrorNames.Describe(code, subcode)}: {reason}")
    {
        Code = code;
        Subcode = subcode;
        Reason = reason;
        NotificationData = data ?? [];
    }

    public BgpWireException()
        : this(BgpErrorCode.Cease, 0, "unspecified")
    {
    }

    public BgpWireException(string message)
        : this(BgpErrorCode.Cease, 0, message)
    {
    }

    public BgpWireException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = BgpErrorCode.Cease;
        Reason = message;
        NotificationData = [];
    }

    public BgpErrorCode Code { get; }
    public byte Subcode { get; }
    public string Reason { get; }

    /// <summary>The NOTIFICATION data field RFC 4271 section 6 prescribes for this error.</summary>
    public byte[] NotificationData { get; }

    /// <summary>The NOTIFICATION the session should send before closing.</summary>
    public BgpNotification ToNotification() => new(Code, Subcode, new ValueList<byte>(NotificationData.ToArray()));

    internal static BgpWireException Header(MessageHeaderSubcode sub, string reason, byte[]? data = null) =>
        new(BgpErrorCode.MessageHeader, (byte)sub, reason, data);

    internal static BgpWireException Open(OpenSubcode sub, string reason, byte[]? data = null) =>
        new(BgpErrorCode.OpenMessage, (byte)sub, reason, data);

    internal static BgpWireException Update(UpdateSubcode sub, string reason, byte[]? data = null) =>
        new(BgpErrorCode.UpdateMessage, (byte)sub, reason, data);
}
