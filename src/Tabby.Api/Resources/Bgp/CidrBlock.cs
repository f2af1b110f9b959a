namespace Tabby.Api.Resources;

/// <summary>One service CIDR block to advertise (cluster, external or load-balancer IPs).</summary>
public sealed class CidrBlock
{
    public string? Cidr { get; set; }
}
