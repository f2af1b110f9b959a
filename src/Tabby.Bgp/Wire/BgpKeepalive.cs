namespace Tabby.Bgp.Wire;

/// <summary>A KEEPALIVE message: the 19-byte header and nothing else (RFC 4271 4.4).</summary>
public sealed record BgpKeepalive : BgpMessage
{
    public static BgpKeepalive Instance { get; } = new();
    public override BgpMessageType Type => BgpMessageType.Keepalive;
}
