using System.Globalization;
using System.Security.Cryptography;
using Tabby.Lab.Namespaces;
using Tabby.Linux.Netns;

namespace Tabby.Integration.Tests.Linux;

public sealed class NamespaceSetTests
{
    [Fact]
    public void The_prefix_carries_the_project_prefix_this_process_id_and_the_purpose()
    {
        using var namespaces = new NamespaceSet("pfx");
        using var second = new NamespaceSet("pfx");

        Assert.Matches($"^tby-{Environment.ProcessId}-pfx[0-9a-f]{{4}}-$", namespaces.Prefix);
        Assert.NotEqual(namespaces.Prefix, second.Prefix);
    }

    [Fact]
    public void Create_names_namespaces_with_the_prefix_and_Dispose_deletes_them_all()
    {
        string[] names;
        using (var namespaces = new NamespaceSet("set"))
        {
            var a = namespaces.Create("a");
            var b = namespaces.Create("b");
            names = [a.Name!, b.Name!];
            Assert.Equal([namespaces.Prefix + "a", namespaces.Prefix + "b"], names);
            Assert.Equal(2, namespaces.Namespaces.Count);
            Assert.All(names, n => Assert.True(NetworkNamespace.Exists(n)));
        }

        Assert.All(names, n => Assert.False(NetworkNamespace.Exists(n)));
    }

    [Fact]
    public void Dispose_also_deletes_namespaces_with_its_prefix_that_something_else_created()
    {
        string name;
        using (var namespaces = new NamespaceSet("set"))
        {
            name = namespaces.Prefix + "helper";
            NetworkNamespace.Create(name).Dispose();
        }

        Assert.False(NetworkNamespace.Exists(name));
    }

    [Fact]
    public void Dispose_leaves_namespaces_of_other_sets_alone()
    {
        using var keep = new NamespaceSet("keep");
        var kept = keep.Create("a");

        using (var other = new NamespaceSet("gone"))
            other.Create("a");

        Assert.True(NetworkNamespace.Exists(kept.Name!));
    }

    [Fact]
    public void SweepStale_deletes_a_namespace_whose_pid_is_dead_and_leaves_one_whose_pid_is_alive()
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
        var deadPid = DeadPid();
        var dead = $"tby-{deadPid}-sweep{tag}-a";
        var alive = $"tby-{Environment.ProcessId}-sweep{tag}-a";
        var notAPid = $"tby-x{tag}-sweep-a";
        try
        {
            NetworkNamespace.Create(dead).Dispose();
            NetworkNamespace.Create(alive).Dispose();
            NetworkNamespace.Create(notAPid).Dispose();

            var swept = NamespaceSet.SweepStale();

            Assert.Contains(dead, swept);
            Assert.DoesNotContain(alive, swept);
            Assert.DoesNotContain(notAPid, swept);
            Assert.False(NetworkNamespace.Exists(dead));
            Assert.True(NetworkNamespace.Exists(alive));
            Assert.True(NetworkNamespace.Exists(notAPid));
        }
        finally
        {
            foreach (var name in new[] { dead, alive, notAPid })
            {
                if (NetworkNamespace.Exists(name))
                    NetworkNamespace.Delete(name);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("tby-")]
    [InlineData("cni-")]
    [InlineData("tb")]
    public void DeleteWithPrefix_refuses_a_prefix_that_is_not_a_Tabby_run_prefix(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => NamespaceSet.DeleteWithPrefix(prefix));

        Assert.Contains("is not a Tabby namespace prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteWithPrefix_deletes_exactly_the_namespaces_with_that_prefix()
    {
        using var namespaces = new NamespaceSet("dwp");
        var first = namespaces.Create("x-1").Name!;
        var second = namespaces.Create("x-2").Name!;
        var other = namespaces.Create("y").Name!;

        var deleted = NamespaceSet.DeleteWithPrefix(namespaces.Prefix + "x-");

        Assert.Equal([first, second], deleted.Order(StringComparer.Ordinal));
        Assert.True(NetworkNamespace.Exists(other));
    }

    /// <summary>A pid no process can have: Linux hands out pids below pid_max only.</summary>
    private static int DeadPid() =>
        int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
}
