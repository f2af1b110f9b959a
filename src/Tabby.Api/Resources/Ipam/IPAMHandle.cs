namespace Tabby.Api.Resources;

/// <summary>An allocation handle (one per workload interface) and the blocks it has addresses in.</summary>
public sealed class IPAMHandle : Resource<IPAMHandleSpec>
{
    public override string Kind => "IPAMHandle";
}
