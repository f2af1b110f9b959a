namespace Tabby.Api.Resources;

/// <summary>A node's claim on an IPAM block.</summary>
public sealed class BlockAffinity : Resource<BlockAffinitySpec>
{
    public override string Kind => "BlockAffinity";
}
