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

    /// <summary>A Cease/Hard Reset (RFC 8538 3): the peer must flush our routes even though graceful restart was negotiated.</summary>
    public bool IsHardReset => Code == BgpErrorCode.Cease && Subcode == (byte)CeaseSubcode.HardReset;

    /// <summary>Wraps <paramref name="inner"/> in a Hard Reset: its code, subcode and data become the Hard Reset's data (RFC 8538 3).</summary>
    public static BgpNotification HardReset(BgpNotification inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var data = new byte[2 + inner.Data.Count];
        data[0] = (byte)inner.Code;
        data[1] = inner.Subcode;
        inner.Data.AsSpan().CopyTo(data.AsSpan(2));
        return new BgpNotification(BgpErrorCode.Cease, (byte)CeaseSubcode.HardReset, data);
    }

    /// <summary>The data decoded as far as the code and subcode say what it holds, for logs; hex otherwise, empty when there is none.</summary>
    public string DescribeData()
    {
        var d = Data.AsSpan();
        if (d.IsEmpty)
            return string.Empty;
        switch (Code, Subcode)
        {
            case (BgpErrorCode.MessageHeader, 2) when d.Length == 2:
                return $"bad length {(d[0] << 8) | d[1]}";
            case (BgpErrorCode.MessageHeader, 3) when d.Length == 1:
                return $"bad type {d[0]}";
            case (BgpErrorCode.OpenMessage, 1) when d.Length == 2:
                return $"supported version {(d[0] << 8) | d[1]}";
            case (BgpErrorCode.OpenMessage, 7):
                return "capabilities " + DescribeCapabilities(d);
            case (BgpErrorCode.UpdateMessage, _) when d.Length >= 3:
                // RFC 4271 6.3: the data is the offending attribute (flags, type, length, value).
                return $"attribute type {d[1]} flags 0x{d[0]:x2}, {d.Length} bytes: {Convert.ToHexString(d)}";
            case (BgpErrorCode.Cease, (byte)CeaseSubcode.MaximumPrefixesReached) when d.Length == 7:
                // RFC 4486 4: AFI, SAFI and the upper bound.
                return $"afi {(d[0] << 8) | d[1]} safi {d[2]} limit {((uint)d[3] << 24) | ((uint)d[4] << 16) | ((uint)d[5] << 8) | d[6]}";
            case (BgpErrorCode.Cease, (byte)CeaseSubcode.HardReset) when d.Length >= 2:
                var inner = new BgpNotification((BgpErrorCode)d[0], d[1], d[2..].ToArray());
                var innerData = inner.DescribeData();
                return innerData.Length == 0 ? $"for {inner.Description}" : $"for {inner.Description} ({innerData})";
        }
        return ShutdownMessage is { } text ? $"\"{text}\"" : Convert.ToHexString(d);
    }

    private static string DescribeCapabilities(ReadOnlySpan<byte> d)
    {
        var parts = new List<string>();
        while (d.Length >= 2 && d.Length >= 2 + d[1])
        {
            parts.Add(d[0] switch
            {
                BgpCapability.MultiprotocolCode when d[1] == 4 => $"multiprotocol {new BgpFamily((ushort)((d[2] << 8) | d[3]), d[5])}",
                BgpCapability.RouteRefreshCode => "route-refresh",
                BgpCapability.GracefulRestartCode => "graceful-restart",
                BgpCapability.FourOctetAsCode => "4-octet-as",
                _ => $"code {d[0]}",
            });
            d = d[(2 + d[1])..];
        }
        return parts.Count == 0 ? Convert.ToHexString(d) : string.Join(", ", parts);
    }

    public override string ToString()
    {
        var data = DescribeData();
        return data.Length == 0 ? $"NOTIFICATION {Description}" : $"NOTIFICATION {Description}: {data}";
    }
}
