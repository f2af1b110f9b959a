namespace Tabby.Api.Resources;

/// <summary>Settings for the per-host agent's dataplane (Felix's configuration in Calico).</summary>
public sealed class FelixConfiguration : Resource<FelixConfigurationSpec>
{
    public override string Kind => "FelixConfiguration";
}
