using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>What one peer needs to be sent now: withdrawals plus announcements grouped by attribute set.</summary>
public sealed class AdjRibOutBatch
{
    public AdjRibOutBatch(IpPrefix[] withdrawals, AdjRibOutGroup[] announcements)
    {
        Withdrawals = withdrawals;
        Announcements = announcements;
    }

    public IpPrefix[] Withdrawals { get; }
    public AdjRibOutGroup[] Announcements { get; }
    public bool IsEmpty => Withdrawals.Length == 0 && Announcements.Length == 0;

    /// <summary>Encodes the batch as few UPDATEs as fit: withdrawals first, then one run per attribute group.</summary>
    public List<byte[]> ToMessages(BgpCodecContext context)
    {
        var messages = BgpUpdatePacker.PackWithdrawals(Withdrawals);
        foreach (var g in Announcements)
            messages.AddRange(BgpUpdatePacker.PackAnnouncements(g.Attributes, g.Prefixes, context));
        return messages;
    }
}
