using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of the cluster's IPAMConfiguration.</summary>
public sealed class IPAMConfigurationSpec
{
    [AlwaysEmit]
    public bool StrictAffinity { get; set; }

    public int MaxBlocksPerHost { get; set; }

    [AlwaysEmit]
    public bool AutoAllocateBlocks { get; set; }

    [ApiName("kubeVirtVMAddressPersistence")]
    public string? KubeVirtVmAddressPersistence { get; set; }

    [ApiName("ipCooldownSeconds")]
    public int IpCooldownSeconds { get; set; }
}
