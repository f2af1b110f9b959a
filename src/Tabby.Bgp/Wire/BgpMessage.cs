namespace Tabby.Bgp.Wire;

/// <summary>A decoded BGP message; the concrete records are OPEN, UPDATE, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH.</summary>
public abstract record BgpMessage
{
    public abstract BgpMessageType Type { get; }
}
