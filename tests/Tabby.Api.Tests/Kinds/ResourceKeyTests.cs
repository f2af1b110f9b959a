using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Api.Tests.Kinds;

/// <summary>The string-level layout (for callers with only a plural) and the kind-level keys are one layout.</summary>
public class ResourceKeyTests
{
    [Fact]
    public void Keys_by_plural_follow_calicos_layout_and_split_back()
    {
        Assert.Equal("/calico/resources/v3/projectcalico.org/ippools/default-pool", ResourceKey.PathOf("ippools", null, "default-pool"));
        var key = ResourceKey.PathOf("networkpolicies", "prod", "allow-web");
        Assert.Equal("/calico/resources/v3/projectcalico.org/networkpolicies/prod/allow-web", key);
        Assert.True(ResourceKey.TrySplit(key, out var plural, out var ns, out var name));
        Assert.Equal(("networkpolicies", "prod", "allow-web"), (plural, ns, name));
        Assert.True(ResourceKey.TrySplit(ResourceKey.PathOf("nodes", null, "h1"), out _, out var none, out _));
        Assert.Null(none);
        Assert.False(ResourceKey.TrySplit("/calico/ipam/v2/handle/x", out _, out _, out _));
        Assert.False(ResourceKey.TrySplit(ResourceKey.Root + "ippools/a/b/c", out _, out _, out _));
        Assert.StartsWith(ResourceKey.PrefixOf("networkpolicies", "prod"), key, StringComparison.Ordinal);
        Assert.Equal(ResourceKey.Root + "ippools/", ResourceKey.PrefixOf("ippools"));
        Assert.Throws<ArgumentException>(() => ResourceKey.PathOf("ippools", null, "a/b"));
        Assert.Throws<ArgumentException>(() => ResourceKey.PrefixOf("ippools", "a/b"));
    }

    [Fact]
    public void A_kinds_key_is_the_key_by_its_plural()
    {
        var policy = new ResourceKey(KindRegistry.For<NetworkPolicy>(), "prod", "allow-web");
        var pool = new ResourceKey(KindRegistry.For<IPPool>(), null, "default-pool");

        Assert.Equal(ResourceKey.PathOf("networkpolicies", "prod", "allow-web"), policy.Path);
        Assert.Equal(ResourceKey.PathOf("ippools", null, "default-pool"), pool.Path);
        Assert.Equal(ResourceKey.PrefixOf("networkpolicies", "prod"), ResourceKey.PrefixFor(policy.Kind, "prod"));
        Assert.Equal(ResourceKey.PrefixOf("ippools"), ResourceKey.PrefixFor(pool.Kind, "ignored-for-cluster-kinds"));
    }

    [Fact]
    public void A_name_with_a_slash_from_the_command_line_makes_a_key_that_finds_nothing_rather_than_throwing()
    {
        var key = new ResourceKey(KindRegistry.For<IPPool>(), null, "a/b");

        Assert.Equal(ResourceKey.Root + "ippools/a/b", key.Path);
        Assert.False(ResourceKey.TryParse(key.Path, out _));
    }
}
