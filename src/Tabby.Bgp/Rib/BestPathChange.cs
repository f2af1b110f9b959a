using Tabby.Core.Addressing;

namespace Tabby.Bgp.Rib;

/// <summary>A change of best path for a prefix: a new best, or a withdrawal when <see cref="Best"/> is null.</summary>
public readonly record struct BestPathChange(IpPrefix Prefix, RibPath? Best, RibPath? Previous)
{
    public bool IsWithdrawal => Best is null;
}
