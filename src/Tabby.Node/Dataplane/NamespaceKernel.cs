using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;
using Tabby.Linux.Sysctls;

namespace Tabby.Node.Dataplane;

/// <summary>The kernel of one network namespace, through rtnetlink and /proc/sys.</summary>
public sealed class NamespaceKernel : IKernel, IDisposable
{
    private readonly NetworkNamespace _namespace;
    private readonly RtNetlinkClient _netlink;

    public NamespaceKernel(NetworkNamespace networkNamespace)
    {
        _namespace = networkNamespace ?? throw new ArgumentNullException(nameof(networkNamespace));
        _netlink = RtNetlinkClient.Open(networkNamespace);
    }

    public NetworkNamespace Namespace => _namespace;

    public RtNetlinkClient Netlink => _netlink;

    public IReadOnlyList<Link> ListLinks() => _netlink.Links.List();

    public IReadOnlyList<Route> ListOwnRoutes() => _netlink.Routes.List(RouteFilter.Tabby);

    public IReadOnlyList<Route> ListMainTable() => _netlink.Routes.List(RouteFilter.MainTable);

    public void ApplyRoutes(IReadOnlyList<Route> deletes, IReadOnlyList<Route> upserts)
    {
        var failures = new List<NetlinkException>();
        if (deletes.Count > 0)
        {
            Collect(() => _netlink.Routes.DeleteMany(deletes), failures);
            // A route already gone (someone deleted it, or its interface went) is what a delete wants.
            failures.RemoveAll(f => f.Errno == Tabby.Linux.Interop.Errno.ESRCH);
        }

        if (upserts.Count > 0)
            Collect(() => _netlink.Routes.ReplaceMany(upserts), failures);
        if (failures.Count > 0)
            throw new NetlinkBatchException(failures, deletes.Count + upserts.Count);
    }

    public IReadOnlyList<(Route Route, NetlinkException Error)> ReplaceRoutes(IReadOnlyList<Route> routes) =>
        routes.Count == 0 ? [] : _netlink.Routes.TryReplaceMany(routes);

    public IReadOnlyList<(SysctlSetting Setting, Exception Error)> WriteSysctls(IReadOnlyList<SysctlSetting> settings)
    {
        if (settings.Count == 0)
            return [];
        // One trip into the namespace for the whole list; each setting on its own so one vanished
        // interface does not stop the rest.
        return _namespace.Run(() =>
        {
            var failed = new List<(SysctlSetting, Exception)>();
            foreach (var setting in settings)
            {
                try
                {
                    File.WriteAllText("/proc/sys/" + setting.Key, setting.Value);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    failed.Add((setting, e));
                }
            }

            return failed;
        });
    }

    public void Dispose() => _netlink.Dispose();

    private static void Collect(Action action, List<NetlinkException> failures)
    {
        try
        {
            action();
        }
        catch (NetlinkBatchException e)
        {
            failures.AddRange(e.Failures);
        }
        catch (NetlinkException e)
        {
            failures.Add(e);
        }
    }
}
