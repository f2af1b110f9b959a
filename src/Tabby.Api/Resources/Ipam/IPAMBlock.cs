namespace Tabby.Api.Resources;

/// <summary>One IPAM block: a slice of a pool, usually affine to one host.</summary>
public sealed class IPAMBlock : Resource<IPAMBlockSpec>
{
    public override string Kind => "IPAMBlock";
}
