using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of the cluster's IPAMConfiguration.</summary>
public sealed class IPAMConfigurationSpec
{
    [AlwaysEmit]
    public bool StrictAffinity { get; set; }

    public int MaxBlocksPerHost { get; set; }

    /// <summary>True unless set false: the CRD's default, which a non-nullable field can only carry as its initial value.</summary>
    [AlwaysEmit]
    public bool AutoAllocateBlocks { get; set; } = true;

    [ApiName("kubeVirtVMAddressPersistence")]
    public string? KubeVirtVmAddressPersistence { get; set; }

    [ApiName("ipCooldownSeconds")]
    public int IpCooldownSeconds { get; set; }
}
