namespace Tabby.Bgp.Wire;

/// <summary>Subcodes of the Message Header Error (RFC 4271 6.1).</summary>
public enum MessageHeaderSubcode : byte
{
    ConnectionNotSynchronized = 1,
    BadMessageLength = 2,
    BadMessageType = 3,
}
