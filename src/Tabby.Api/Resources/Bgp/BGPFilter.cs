namespace Tabby.Api.Resources;

/// <summary>Route import/export filters that BGPPeers refer to by name.</summary>
public sealed class BGPFilter : Resource<BGPFilterSpec>
{
    public override string Kind => "BGPFilter";
}
