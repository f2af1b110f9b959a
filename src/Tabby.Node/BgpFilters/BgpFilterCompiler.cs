using Tabby.Api.Resources;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Node.BgpFilters;

/// <summary>
/// Turns a BGPFilter resource into rules, with Calico's meaning for every field (confd renders the same rules as BIRD
/// functions). A rule Tabby cannot run is reported; it never matches, so it neither accepts nor rejects anything.
/// </summary>
public static class BgpFilterCompiler
{
    public static CompiledBgpFilter Compile(BGPFilter filter, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(problems);
        var name = filter.Metadata.Name ?? "";
        var spec = filter.Spec;
        return new CompiledBgpFilter(
            name,
            Rules(name, "importV4", spec.ImportV4, ipv6: false, problems),
            Rules(name, "exportV4", spec.ExportV4, ipv6: false, problems),
            Rules(name, "importV6", spec.ImportV6, ipv6: true, problems),
            Rules(name, "exportV6", spec.ExportV6, ipv6: true, problems));
    }

    private static ValueList<FilterRule> Rules(string name, string list, List<BGPFilterRule>? rules, bool ipv6, ICollection<string> problems)
    {
        if (rules is null)
            return default;
        var compiled = new List<FilterRule>();
        for (var i = 0; i < rules.Count; i++)
        {
            var where = $"BGPFilter {name} {list}[{i}]";
            if (Rule(rules[i], ipv6, where, problems) is { } rule)
                compiled.Add(rule);
        }

        return compiled.ToArray();
    }

    private static FilterRule? Rule(BGPFilterRule rule, bool ipv6, string where, ICollection<string> problems)
    {
        bool accept;
        switch (rule.Action)
        {
            case "Accept": accept = true; break;
            case "Reject": accept = false; break;
            default:
                problems.Add($"{where}: action '{rule.Action}' is neither Accept nor Reject; the rule is skipped");
                return null;
        }

        PrefixCondition? prefix = null;
        if (!string.IsNullOrEmpty(rule.Cidr))
        {
            if (!IpPrefix.TryParse(rule.Cidr.AsSpan(), out var cidr, out var error) || cidr.IsIPv6 != ipv6)
            {
                problems.Add($"{where}: cidr '{rule.Cidr}' is not an IPv{(ipv6 ? 6 : 4)} CIDR{(error is null ? "" : $" ({error})")}; the rule is skipped");
                return null;
            }

            if (rule.MatchOperator is not ("Equal" or "NotEqual" or "In" or "NotIn"))
            {
                problems.Add($"{where}: matchOperator '{rule.MatchOperator}' is not Equal, NotEqual, In or NotIn; the rule is skipped");
                return null;
            }

            var min = Math.Max(cidr.Length, rule.PrefixLength?.Min ?? 0);
            var max = Math.Min(cidr.MaxLength, rule.PrefixLength?.Max ?? cidr.MaxLength);
            prefix = new PrefixCondition(cidr, rule.MatchOperator, min, max);
        }

        var result = new FilterRule { Accept = accept, Prefix = prefix };
        if (!string.IsNullOrEmpty(rule.Source))
        {
            if (rule.Source != "RemotePeers")
            {
                problems.Add($"{where}: source '{rule.Source}' is not RemotePeers; the rule is skipped");
                return null;
            }

            result = result with { RemotePeersOnly = true };
        }

        if (!string.IsNullOrEmpty(rule.PeerType))
        {
            bool? same = rule.PeerType switch { "iBGP" => true, "eBGP" => false, _ => null };
            if (same is null)
            {
                problems.Add($"{where}: peerType '{rule.PeerType}' is not iBGP or eBGP; the rule is skipped");
                return null;
            }

            result = result with { SameAs = same };
        }

        if (rule.Communities?.Values is { Count: > 0 } values)
        {
            if (values.Count > 1)
                problems.Add($"{where}: communities lists {values.Count} values; Calico matches one, so only '{values[0]}' is used");
            if (!TryCommunity(values[0], out var community, out var large))
            {
                problems.Add($"{where}: community '{values[0]}' is not aa:nn or aa:nn:mm; the rule is skipped");
                return null;
            }

            result = result with { Community = community, LargeCommunity = large };
        }

        if (rule.AsPathPrefix is { Count: > 0 } asPath)
            result = result with { AsPathPrefix = asPath.Select(a => a.Value).ToArray() };
        if (rule.Priority is { } priority)
            result = result with { LocalPref = FilterRule.PriorityBase - (uint)priority };
        if (!string.IsNullOrEmpty(rule.Interface))
        {
            // BIRD's ifname is the interface a kernel or device route came in on; Tabby's speaker originates blocks and
            // learns routes from peers, neither of which has one, so the rule cannot match anything here.
            problems.Add($"{where}: interface '{rule.Interface}' cannot be matched (Tabby's routes do not come from interfaces); the rule never matches");
            result = result with { Unsupported = $"interface {rule.Interface}" };
        }

        foreach (var operation in rule.Operations ?? [])
        {
            if (operation.AddCommunity?.Value is { } value)
            {
                if (!TryCommunity(value, out var community, out var large))
                {
                    problems.Add($"{where}: addCommunity '{value}' is not aa:nn or aa:nn:mm; the rule is skipped");
                    return null;
                }

                result = community is { } c
                    ? result with { AddCommunities = result.AddCommunities.Add(c) }
                    : result with { AddLargeCommunities = result.AddLargeCommunities.Add(large!.Value) };
            }
            else if (operation.PrependAsPath?.Prefix is { } prepend)
            {
                result = result with { Prepend = new ValueList<uint>([.. result.Prepend, .. prepend.Select(a => a.Value)]) };
            }
            else if (operation.SetPriority?.Value is { } set)
            {
                result = result with { SetLocalPref = FilterRule.PriorityBase - (uint)set };
            }
        }

        return result;
    }

    private static bool TryCommunity(string text, out Tabby.Bgp.Wire.Community? community, out LargeCommunity? large)
    {
        (community, large) = (null, null);
        try
        {
            if (text.Count(c => c == ':') == 2)
                large = Tabby.Bgp.Wire.LargeCommunity.Parse(text);
            else
                community = Tabby.Bgp.Wire.Community.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
