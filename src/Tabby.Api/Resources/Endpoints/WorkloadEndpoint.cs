namespace Tabby.Api.Resources;

/// <summary>A workload's network interface as Calico sees it (written by the CNI plugin).</summary>
public sealed class WorkloadEndpoint : Resource<WorkloadEndpointSpec>
{
    public override string Kind => "WorkloadEndpoint";
}
