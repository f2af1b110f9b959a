using System.Diagnostics;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Linux;

public sealed class NamespaceTests
{
    [Fact]
    public void Create_makes_a_named_namespace_that_Exists_and_ListNamed_show_and_Delete_removes()
    {
        using var namespaces = new NamespaceSet("ns");
        // Created directly (not through the set) to test Create itself; the set still sweeps it on failure.
        var name = namespaces.Prefix + "direct";

        using (var created = NetworkNamespace.Create(name))
        {
            Assert.Equal(name, created.Name);
            Assert.Equal($"/run/netns/{name}", created.Path);
            Assert.True(NetworkNamespace.Exists(name));
            Assert.Contains(name, NetworkNamespace.ListNamed());
        }
        NetworkNamespace.Delete(name);

        Assert.False(NetworkNamespace.Exists(name));
        Assert.DoesNotContain(name, NetworkNamespace.ListNamed());
        Assert.False(File.Exists($"/run/netns/{name}"));
    }

    [Fact]
    public void A_new_namespace_starts_with_only_loopback_down()
    {
        using var namespaces = new NamespaceSet("ns");
        using var netlink = RtNetlinkClient.Open(namespaces.Create("a"));

        var lo = Assert.Single(netlink.Links.List());

        Assert.Equal("lo", lo.Name);
        Assert.False(lo.IsUp);
    }

    [Fact]
    public void Creating_a_namespace_that_exists_fails_clearly_and_leaves_the_existing_one_working()
    {
        using var namespaces = new NamespaceSet("ns");
        var existing = namespaces.Create("a");
        using var netlink = RtNetlinkClient.Open(existing);
        netlink.Links.CreateBridge("br-keep");

        var error = Assert.Throws<NamespaceException>(() => NetworkNamespace.Create(existing.Name!));

        Assert.Equal($"network namespace '{existing.Name}' already exists", error.Message);
        using var reopened = NetworkNamespace.Open(existing.Name!);
        using var again = RtNetlinkClient.Open(reopened);
        Assert.NotNull(again.Links.Get("br-keep"));
    }

    [Fact]
    public void Opening_a_namespace_that_does_not_exist_throws_a_NamespaceException_naming_it()
    {
        using var namespaces = new NamespaceSet("ns");
        var missing = namespaces.Prefix + "missing";

        var open = Assert.Throws<NamespaceException>(() => NetworkNamespace.Open(missing));
        var delete = Assert.Throws<NamespaceException>(() => NetworkNamespace.Delete(missing));

        Assert.Contains($"'{missing}' does not exist", open.Message, StringComparison.Ordinal);
        Assert.Contains($"'{missing}' does not exist", delete.Message, StringComparison.Ordinal);
        Assert.False(NetworkNamespace.Exists(missing));
    }

    [Fact]
    public void Opening_the_namespace_of_a_process_that_does_not_exist_names_the_path()
    {
        var pid = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture); // pids are always below pid_max

        var error = Assert.Throws<NamespaceException>(() => NetworkNamespace.OpenPid(pid));

        Assert.Contains($"/proc/{pid}/ns/net does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void A_name_that_cannot_be_a_file_under_run_netns_is_refused(string name)
    {
        var error = Assert.Throws<NamespaceException>(() => NetworkNamespace.Create(name));

        Assert.Contains("is not a valid namespace name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_executes_inside_the_namespace_and_sees_its_links_not_the_roots()
    {
        using var namespaces = new NamespaceSet("ns");
        var ns = namespaces.Create("a");
        using (var netlink = RtNetlinkClient.Open(ns))
            netlink.Links.CreateBridge("br-inside");
        var callerBefore = CurrentThreadNamespace();

        var (insideLinks, insideIdentity) = ns.Run(() =>
        {
            using var here = RtNetlinkClient.OpenCurrent();
            return (here.Links.List().Select(l => l.Name).Order(StringComparer.Ordinal).ToList(), CurrentThreadNamespace());
        });
        List<string> rootLinks;
        using (var root = RtNetlinkClient.OpenCurrent()) // a read-only dump of the caller's namespace
            rootLinks = root.Links.List().Select(l => l.Name).ToList();

        Assert.Equal(["br-inside", "lo"], insideLinks);
        Assert.DoesNotContain("br-inside", rootLinks);
        Assert.Equal(NamespaceIdentity(ns.Path), insideIdentity);
        Assert.NotEqual(callerBefore, insideIdentity);
        Assert.Equal(callerBefore, CurrentThreadNamespace()); // the caller's thread never changes namespace
    }

    [Fact]
    public void Run_returns_the_value_and_rethrows_the_exception_of_the_code_it_ran()
    {
        using var namespaces = new NamespaceSet("ns");
        var ns = namespaces.Create("a");

        var value = ns.Run(() => 42);
        var error = Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));

        Assert.Equal(42, value);
        Assert.Equal("inside", error.Message);
    }

    [Fact]
    public void OpenPid_opens_the_namespace_a_process_runs_in()
    {
        using var namespaces = new NamespaceSet("ns");
        var ns = namespaces.Create("a");
        using (var netlink = RtNetlinkClient.Open(ns))
            netlink.Links.CreateBridge("br-pid");
        // `ip netns exec` execs the shell in place, so the pid we get is the shell's once it says so.
        var start = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "netns", "exec", ns.Name!, "sh", "-c", "echo ready; read line" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        try
        {
            Assert.Equal("ready", process.StandardOutput.ReadLine());

            using var byPid = NetworkNamespace.OpenPid(process.Id);
            using var netlink = RtNetlinkClient.Open(byPid);

            Assert.Null(byPid.Name);
            Assert.Equal($"/proc/{process.Id}/ns/net", byPid.Path);
            Assert.NotNull(netlink.Links.Get("br-pid"));
            Assert.Equal(NamespaceIdentity(ns.Path), NamespaceIdentity(byPid.Path));
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                process.Kill();
        }
    }

    [Fact]
    public void A_handle_keeps_working_after_its_name_is_deleted()
    {
        using var namespaces = new NamespaceSet("ns");
        var name = namespaces.Prefix + "orphan";
        using var handle = NetworkNamespace.Create(name);
        NetworkNamespace.Delete(name);

        using var netlink = RtNetlinkClient.Open(handle);
        netlink.Links.CreateBridge("br-orphan");

        Assert.False(NetworkNamespace.Exists(name));
        Assert.NotNull(netlink.Links.Get("br-orphan"));
    }

    private static string CurrentThreadNamespace() => NamespaceIdentity("/proc/thread-self/ns/net");

    /// <summary>"net:[inode]": two paths name the same namespace exactly when these match.</summary>
    private static string NamespaceIdentity(string path)
    {
        var stat = new FileInfo(path);
        if (stat.LinkTarget is { } target)
            return target;
        // A bind mount under /run/netns is not a symlink; compare by device and inode instead.
        return $"net:[{Inode(path)}]";
    }

    private static ulong Inode(string path)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-L", "-c", "%i", path })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return ulong.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
