namespace Tabby.Bgp.Wire;

/// <summary>One capability carried in OPEN (RFC 5492); subclasses for the ones Tabby understands.</summary>
public abstract record BgpCapability
{
    public const byte MultiprotocolCode = 1;
    public const byte RouteRefreshCode = 2;
    public const byte GracefulRestartCode = 64;
    public const byte FourOctetAsCode = 65;

    public abstract byte Code { get; }
}
