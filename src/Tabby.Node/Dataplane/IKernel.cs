using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Sysctls;

namespace Tabby.Node.Dataplane;

/// <summary>What the dataplane managers do to the kernel of one network namespace.</summary>
/// <remarks>The real one is <see cref="NamespaceKernel"/>; unit tests of manager logic use a fake.</remarks>
public interface IKernel
{
    /// <summary>The namespace's rtnetlink client, for managers of devices, FDB and neighbour entries (the overlay).</summary>
    Tabby.Linux.Netlink.RtNetlinkClient Netlink { get; }

    /// <summary>Every link in the namespace.</summary>
    IReadOnlyList<Link> ListLinks();

    /// <summary>The routes this agent owns: protocol <c>tabby</c> in the main table, both families.</summary>
    IReadOnlyList<Route> ListOwnRoutes();

    /// <summary>Every route in the main table, both families (to see what belongs to someone else).</summary>
    IReadOnlyList<Route> ListMainTable();

    /// <summary>Deletes then adds-or-replaces routes in batches; failures are reported per route after the rest were applied.</summary>
    void ApplyRoutes(IReadOnlyList<Route> deletes, IReadOnlyList<Route> upserts);

    /// <summary>Adds or replaces routes, each on its own merit: returns the ones the kernel refused, with its error; the rest are in.</summary>
    IReadOnlyList<(Route Route, Tabby.Linux.Netlink.NetlinkException Error)> ReplaceRoutes(IReadOnlyList<Route> routes);

    /// <summary>Writes sysctls; a setting whose interface vanished meanwhile is skipped and returned.</summary>
    IReadOnlyList<(SysctlSetting Setting, Exception Error)> WriteSysctls(IReadOnlyList<SysctlSetting> settings);
}
