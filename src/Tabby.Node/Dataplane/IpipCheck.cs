using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;

namespace Tabby.Node.Dataplane;

/// <summary>Says why pools asking for IPIP cannot be served: either the kernel has no ipip driver (tunl0 cannot be
/// created), or it has one and this agent has no IPIP dataplane. Either way nothing of those pools is programmed.</summary>
public sealed class IpipCheck(RtNetlinkClient netlink)
{
    public const string DeviceName = "tunl0";
    private string? _checkedFor;
    private string? _problem;

    /// <summary>The problem to report for these pools (null when none asks for IPIP); tries the device once per set of pools.</summary>
    public string? Check(IReadOnlyList<string> pools, IReadOnlyList<Link> links)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(links);
        if (pools.Count == 0)
        {
            _checkedFor = null;
            return _problem = null;
        }

        var key = string.Join(",", pools);
        if (key == _checkedFor && _problem is not null)
            return _problem;
        _checkedFor = key;
        var which = $"IPIP requested by pool{(pools.Count == 1 ? string.Empty : "s")} {key}";
        if (links.Any(l => l.Name == DeviceName))
            return _problem = $"{which}: the kernel has the ipip driver, but this agent does not implement IPIP encapsulation; routes in those pools are not programmed (use vxlanMode)";
        try
        {
            // The ipip driver makes tunl0 in every namespace when it loads: asking for it loads the module if it can be.
            netlink.Links.CreateIpip(new IpipSpec(DeviceName));
            return _problem = $"{which}: the kernel has the ipip driver, but this agent does not implement IPIP encapsulation; routes in those pools are not programmed (use vxlanMode)";
        }
        catch (NetlinkException e)
        {
            return _problem = $"{which}, but {DeviceName} cannot be created: {e.Message}; routes in those pools are not programmed";
        }
    }
}
