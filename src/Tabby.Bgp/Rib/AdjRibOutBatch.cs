using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>What one peer needs to be sent now: withdrawals plus announcements grouped by attribute set.</summary>
public sealed class AdjRibOutBatch
{
    public AdjRibOutBatch(IReadOnlyList<IpPrefix> withdrawals, IReadOnlyList<AdjRibOutGroup> announcements)
    {
        Withdrawals = withdrawals;
        Announcements = announcements;
    }

    public IReadOnlyList<IpPrefix> Withdrawals { get; }
    public IReadOnlyList<AdjRibOutGroup> Announcements { get; }
    public bool IsEmpty => Withdrawals.Count == 0 && Announcements.Count == 0;

    /// <summary>Encodes the batch as few UPDATEs as fit: withdrawals first, then one run per attribute group.</summary>
    public List<byte[]> ToMessages(BgpCodecContext context)
    {
        var messages = BgpUpdatePacker.PackWithdrawals(Withdrawals.ToArray());
        foreach (var g in Announcements)
            messages.AddRange(BgpUpdatePacker.PackAnnouncements(g.Attributes, g.Prefixes.ToArray(), context));
        return messages;
    }
}
