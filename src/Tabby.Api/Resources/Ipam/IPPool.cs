namespace Tabby.Api.Resources;

/// <summary>A range of workload addresses, handed out in blocks.</summary>
public sealed class IPPool : Resource<IPPoolSpec>
{
    public override string Kind => "IPPool";

    public IPPoolStatus? Status { get; set; }
}
