namespace Tabby.Bgp.Wire;

/// <summary>Route refresh capability (RFC 2918), empty value.</summary>
public sealed record RouteRefreshCapability : BgpCapability
{
    public static RouteRefreshCapability Instance { get; } = new();
    public override byte Code => RouteRefreshCode;
}
