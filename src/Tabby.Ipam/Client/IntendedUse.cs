namespace Tabby.Ipam.Client;

/// <summary>What an address is for; a pool hands out only the uses its <c>allowedUses</c> lists.</summary>
public enum IntendedUse
{
    /// <summary>A workload (container or VM) interface.</summary>
    Workload,

    /// <summary>A node's tunnel device (IPIP, VXLAN).</summary>
    Tunnel,
}
