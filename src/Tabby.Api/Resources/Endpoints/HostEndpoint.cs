namespace Tabby.Api.Resources;

/// <summary>A host interface (or all of a host's interfaces) under policy.</summary>
public sealed class HostEndpoint : Resource<HostEndpointSpec>
{
    public override string Kind => "HostEndpoint";
}
