using Tabby.Core.Addressing;

namespace Tabby.Ipam.Client;

/// <summary>Who holds an address.</summary>
/// <param name="Address">The address.</param>
/// <param name="Block">Its block.</param>
/// <param name="BlockAffinity">The block's affinity (<c>host:&lt;node&gt;</c>), or null.</param>
/// <param name="HandleId">The owning handle, or null.</param>
/// <param name="Attributes">The owner attributes (node, namespace, pod, timestamp).</param>
/// <param name="SequenceNumber">The allocation's sequence number.</param>
/// <param name="ReleasedAt">Set when the address was released and is cooling down.</param>
public sealed record AllocationInfo(
    IpPrefix Address,
    IpPrefix Block,
    string? BlockAffinity,
    string? HandleId,
    IReadOnlyDictionary<string, string> Attributes,
    ulong SequenceNumber,
    DateTimeOffset? ReleasedAt);
