using System.Text.Json.Serialization.Metadata;

namespace Tabby.Ipam.Model;

/// <summary>The source-generated JSON contracts of the stored IPAM objects, for readers outside this assembly (the agent).</summary>
public static class IpamJson
{
    public static JsonTypeInfo<AllocationBlock> AllocationBlock => IpamJsonContext.Default.AllocationBlock;

    public static JsonTypeInfo<BlockAffinity> BlockAffinity => IpamJsonContext.Default.BlockAffinity;

    public static JsonTypeInfo<IpamHandle> IpamHandle => IpamJsonContext.Default.IpamHandle;

    public static JsonTypeInfo<IpamConfig> IpamConfig => IpamJsonContext.Default.IpamConfig;
}
