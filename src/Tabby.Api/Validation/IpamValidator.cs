using System.Globalization;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks IPPool, IPReservation, IPAMConfiguration and the IPAM state objects.</summary>
internal static class IpamValidator
{
    private static readonly IpPrefix s_linkLocalV4 = IpPrefix.Parse("169.254.0.0/16");
    private static readonly IpPrefix s_linkLocalV6 = IpPrefix.Parse("fe80::/10");

    public static void Validate(ValidationContext context, IPPool pool)
    {
        var spec = pool.Spec;
        var isLoadBalancer = spec.AllowedUses?.Contains("LoadBalancer") == true;
        if (string.IsNullOrEmpty(spec.Cidr))
        {
            context.Error("spec.cidr", "required");
        }
        else if (Checks.Cidr(context, "spec.cidr", spec.Cidr, out var cidr))
        {
            // Calico's ranges: a block size per family, and (for a pool in use) no smaller than one block.
            var (min, max) = cidr.IsIPv6 ? (116, 128) : (20, 32);
            if (spec.BlockSize != 0)
            {
                if (spec.BlockSize < min || spec.BlockSize > max)
                    context.Error("spec.blockSize", string.Create(CultureInfo.InvariantCulture, $"{spec.BlockSize} is out of range {min}-{max}"));
                else if (!spec.Disabled && cidr.Length > spec.BlockSize)
                    context.Error("spec.cidr", string.Create(CultureInfo.InvariantCulture, $"the pool /{cidr.Length} is smaller than one block (/{spec.BlockSize})"));
            }
            var linkLocal = cidr.IsIPv6 ? s_linkLocalV6 : s_linkLocalV4;
            if (linkLocal.Contains(cidr) || cidr.Contains(linkLocal))
                context.Error("spec.cidr", $"IP pool range overlaps with IPv{(cidr.IsIPv6 ? 6 : 4)} Link Local range {linkLocal}");
            if (cidr.IsIPv6 && spec.IpipMode is "Always" or "CrossSubnet")
                context.Error("spec.ipipMode", "IPIP is not supported on IPv6 pools");
        }

        Checks.Enum(context, "spec.ipipMode", spec.IpipMode, "Never", "Always", "CrossSubnet");
        Checks.Enum(context, "spec.vxlanMode", spec.VxlanMode, "Never", "Always", "CrossSubnet");
        var encapsulated = spec.IpipMode is "Always" or "CrossSubnet" || spec.VxlanMode is "Always" or "CrossSubnet";
        if (spec.IpipMode is "Always" or "CrossSubnet" && spec.VxlanMode is "Always" or "CrossSubnet")
            context.Error("spec", "ipipMode and vxlanMode cannot both be enabled");
        Checks.Selector(context, "spec.nodeSelector", spec.NodeSelector, allowGlobal: true);
        Checks.Selector(context, "spec.namespaceSelector", spec.NamespaceSelector, allowGlobal: true);
        if (spec.NodeSelector?.Contains("global(", StringComparison.Ordinal) == true)
            context.Error("spec.nodeSelector", "global() selector is not valid for IPPool nodeSelector");
        if (spec.NamespaceSelector?.Contains("global(", StringComparison.Ordinal) == true)
            context.Error("spec.namespaceSelector", "global() selector is not valid for IPPool namespaceSelector");
        Checks.Enum(context, "spec.assignmentMode", spec.AssignmentMode, "Automatic", "Manual");
        if (spec.AllowedUses is { } uses)
        {
            for (var i = 0; i < uses.Count; i++)
            {
                if (uses[i] is "Workload" or "Tunnel")
                {
                    if (isLoadBalancer)
                        context.Error(Item("spec.allowedUses", i), "LoadBalancer cannot be combined with Workload or Tunnel allowed uses");
                }
                else if (uses[i] is not "LoadBalancer")
                {
                    Checks.Enum(context, Item("spec.allowedUses", i), uses[i], "Workload", "Tunnel", "LoadBalancer");
                }
            }
            Checks.Unique(context, "spec.allowedUses", uses);
            // A tunnel address belongs to a node, never to a namespace.
            if (uses.Contains("Tunnel") && !string.IsNullOrEmpty(spec.NamespaceSelector))
                context.Error("spec.namespaceSelector", "IP Pool with AllowedUse Tunnel cannot have namespaceSelector");
        }
        if (isLoadBalancer)
        {
            // Load-balancer addresses are advertised, never tunnelled, and may land on any node.
            if (encapsulated)
                context.Error("spec", "LoadBalancer IP pool cannot have IPIP or VXLAN enabled");
            if (spec.DisableBgpExport)
                context.Error("spec.disableBGPExport", "LoadBalancer IP pools cannot disable BGP export");
            if (spec.NodeSelector is { } selector && selector != "all()")
                context.Error("spec.nodeSelector", "IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()");
        }
        Checks.Conditions(context, "status.conditions", pool.Status?.Conditions);
    }

    public static void Validate(ValidationContext context, IPReservation reservation)
    {
        Checks.Nets(context, "spec.reservedCIDRs", reservation.Spec.ReservedCidrs);
    }

    public static void Validate(ValidationContext context, IPAMConfiguration config)
    {
        if (config.Metadata.Name is { } name && name != "default")
            context.Error("metadata.name", "the IPAMConfiguration must be named 'default'");
        Checks.Range(context, "spec.maxBlocksPerHost", config.Spec.MaxBlocksPerHost, 0, 1_000_000);
        Checks.Range(context, "spec.ipCooldownSeconds", config.Spec.IpCooldownSeconds, 0, 1200);
        Checks.Enum(context, "spec.kubeVirtVMAddressPersistence", config.Spec.KubeVirtVmAddressPersistence, "Enabled", "Disabled");
    }

    public static void Validate(ValidationContext context, IPAMBlock block)
    {
        var spec = block.Spec;
        if (string.IsNullOrEmpty(spec.Cidr))
            context.Error("spec.cidr", "required");
        else if (Checks.Cidr(context, "spec.cidr", spec.Cidr, out var cidr))
        {
            var size = cidr.IsIPv6 ? 128 - cidr.Length : 32 - cidr.Length;
            if (size <= 16 && spec.Allocations is { } allocations && allocations.Count != 1 << size)
                context.Error("spec.allocations", $"a /{cidr.Length} block has {1 << size} allocations, not {allocations.Count}");
        }
        if (spec.Affinity is { } affinity && !(affinity.StartsWith("host:", StringComparison.Ordinal) || affinity.StartsWith("virtual:", StringComparison.Ordinal)))
            context.Error("spec.affinity", $"'{affinity}' is not host:<node> or virtual:<node>");
        Checks.Rfc3339(context, "spec.affinityClaimTime", spec.AffinityClaimTime);
        if (spec.Attributes is { } attrs)
        {
            for (var i = 0; i < attrs.Count; i++)
                Checks.Rfc3339(context, Child(Item("spec.attributes", i), "releasedAt"), attrs[i].ReleasedAt);
        }
        if (spec.Allocations is { } allocs && spec.Attributes is { } attributes)
        {
            for (var i = 0; i < allocs.Count; i++)
            {
                if (allocs[i] is { } index && (index < 0 || index >= attributes.Count))
                    context.Error(Item("spec.allocations", i), $"attribute index {index} is out of range 0-{attributes.Count - 1}");
            }
        }
    }

    public static void Validate(ValidationContext context, BlockAffinity affinity)
    {
        var spec = affinity.Spec;
        Checks.Required(context, "spec.node", spec.Node);
        Checks.Subdomain(context, "spec.node", spec.Node);
        Checks.OneOf(context, "spec.state", spec.State, "confirmed", "pending", "pendingDeletion", "");
        Checks.OneOf(context, "spec.type", spec.Type, "host", "virtual");
        if (spec.Deleted.Value)
            context.Error("spec.deleted", "cannot be set to true");
        if (string.IsNullOrEmpty(spec.Cidr))
            context.Error("spec.cidr", "required");
        else
            Checks.Cidr(context, "spec.cidr", spec.Cidr, out _);
    }

    public static void Validate(ValidationContext context, IPAMHandle handle)
    {
        Checks.Required(context, "spec.handleID", handle.Spec.HandleId);
        if (handle.Spec.Block is { } blocks)
        {
            foreach (var (block, count) in blocks)
            {
                // Keys are block CIDRs; counts are the addresses the handle holds there.
                if (!IpPrefix.TryParse(block.AsSpan(), out _, out var error))
                    context.Error("spec.block." + block, error.TrimEnd('.'));
                if (count < 0)
                    context.Error("spec.block." + block, $"{count} is negative");
            }
        }
    }
}
