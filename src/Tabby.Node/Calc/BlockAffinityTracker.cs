using Tabby.Core.Addressing;
using Tabby.Ipam.Model;

namespace Tabby.Node.Calc;

/// <summary>Tracks which IPAM blocks this host owns; a block counts only once its affinity is confirmed (pending claims are treated as absent).</summary>
public sealed class BlockAffinityTracker(EventSequencer sink, BgpConfigResolver routing)
{
    private readonly HashSet<IpPrefix> _owned = [];

    public IReadOnlyCollection<IpPrefix> Owned => _owned;

    /// <summary>An affinity of this host changed; <paramref name="state"/> is null when it was deleted.</summary>
    public void OnAffinity(IpPrefix block, string? state)
    {
        if (state is not null && AffinityState.IsConfirmed(state))
        {
            // Said again even when already owned: the sequencer drops what the dataplane already has.
            _owned.Add(block);
            sink.BlockAffine(block);
            routing.OnBlock(block, owned: true);
        }
        else if (_owned.Remove(block))
        {
            sink.BlockNotAffine(block);
            routing.OnBlock(block, owned: false);
        }
    }
}
