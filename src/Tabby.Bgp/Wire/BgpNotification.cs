using System.Text;

namespace Tabby.Bgp.Wire;

/// <summary>A NOTIFICATION message: error code, subcode and data (RFC 4271 4.5).</summary>
public sealed record BgpNotification(BgpErrorCode Code, byte Subcode, ValueList<byte> Data = default) : BgpMessage
{
    private const int MaxShutdownMessage = 255;

    public override BgpMessageType Type => BgpMessageType.Notification;

    public string Description => BgpErrorNames.Describe(Code, Subcode);

    /// <summary>The shutdown communication of a Cease 2 or 4 (RFC 9003): a length octet and UTF-8 text; null when absent or malformed.</summary>
    public string? ShutdownMessage
    {
        get
        {
            if (Code != BgpErrorCode.Cease || Subcode is not ((byte)CeaseSubcode.AdministrativeShutdown or (byte)CeaseSubcode.AdministrativeReset))
                return null;
            var d = Data.AsSpan();
            if (d.Length < 1 || d[0] == 0 || d[0] != d.Length - 1)
                return null;
            try
            {
                return new UTF8Encoding(false, true).GetString(d[1..]);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
    }

    /// <summary>A Cease NOTIFICATION, optionally with an RFC 9003 shutdown communication (truncated to 255 UTF-8 bytes).</summary>
    public static BgpNotification Cease(CeaseSubcode subcode, string? message = null)
    {
        if (string.IsNullOrEmpty(message) || subcode is not (CeaseSubcode.AdministrativeShutdown or CeaseSubcode.AdministrativeReset))
            return new BgpNotification(BgpErrorCode.Cease, (byte)subcode);
        var bytes = Encoding.UTF8.GetBytes(message);
        var length = Math.Min(bytes.Length, MaxShutdownMessage);
        // Never cut a UTF-8 sequence in half: back up to a lead byte.
        while (length < bytes.Length && length > 0 && (bytes[length] & 0xC0) == 0x80)
            length--;
        var data = new byte[1 + length];
        data[0] = (byte)length;
        bytes.AsSpan(0, length).CopyTo(data.AsSpan(1));
        return new BgpNotification(BgpErrorCode.Cease, (byte)subcode, data);
    }

    public override string ToString() =>
        ShutdownMessage is { } text ? $"NOTIFICATION {Description}: \"{text}\"" : $"NOTIFICATION {Description} data={Convert.ToHexString(Data.AsSpan())}";
}
