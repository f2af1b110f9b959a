using System.Security.Cryptography;
using System.Text;
using Tabby.Core.Naming;

namespace Tabby.Core.Tests.Naming;

public sealed class InterfaceNamesTests
{
    [Fact]
    public void ForWorkload_is_cali_and_the_first_11_hex_digits_of_the_SHA1_of_the_workload_id()
    {
        // sha1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d
        Assert.Equal("calia9993e36470", InterfaceNames.ForWorkload("abc"));
        // sha1("default.nginx-1") = 7fcc33642a0ce92b4cdab9558ef9f8249f3b4fd1
        Assert.Equal("cali7fcc33642a0", InterfaceNames.ForWorkload("default.nginx-1"));
    }

    [Theory]
    [InlineData("k8s-pod-network.default.nginx")]
    [InlineData("ü-unicode-workload")]
    [InlineData("x")]
    public void ForWorkload_always_fits_IFNAMSIZ_and_is_a_valid_name(string workloadId)
    {
        var name = InterfaceNames.ForWorkload(workloadId);
        var expected = "cali" + Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(workloadId)))[..11];

        Assert.Equal(expected, name);
        Assert.Equal(InterfaceNames.MaxLength, name.Length);
        Assert.Null(InterfaceNames.Validate(name));
    }

    [Fact]
    public void ForWorkload_is_stable_and_differs_between_workloads()
    {
        Assert.Equal(InterfaceNames.ForWorkload("ns.pod-a"), InterfaceNames.ForWorkload("ns.pod-a"));
        Assert.NotEqual(InterfaceNames.ForWorkload("ns.pod-a"), InterfaceNames.ForWorkload("ns.pod-b"));
    }

    [Fact]
    public void ForWorkload_with_another_prefix_fills_the_rest_with_hash_digits()
    {
        var name = InterfaceNames.ForWorkload("abc", "p-");

        Assert.Equal("p-a9993e3647068", name);
        Assert.Equal(15, name.Length);
    }

    [Fact]
    public void ForWorkload_refuses_an_empty_id_and_a_prefix_that_leaves_no_room()
    {
        Assert.Throws<ArgumentException>(() => InterfaceNames.ForWorkload(""));
        Assert.Throws<ArgumentNullException>(() => InterfaceNames.ForWorkload(null!));
        var error = Assert.Throws<ArgumentException>(() => InterfaceNames.ForWorkload("abc", "fifteen-chars-x"));
        Assert.Contains("leaves no room for the hash", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lo")]
    [InlineData("eth0")]
    [InlineData("vxlan.calico")]
    [InlineData("cali0123456789a")]
    [InlineData("a-b_c@d")]
    public void Validate_accepts_names_the_kernel_accepts(string name)
    {
        Assert.Null(InterfaceNames.Validate(name));
        InterfaceNames.EnsureValid(name);
    }

    [Theory]
    [InlineData(null, "an interface name cannot be empty")]
    [InlineData("", "an interface name cannot be empty")]
    [InlineData("cali0123456789ab", "interface name 'cali0123456789ab' is 16 characters; Linux allows at most 15")]
    [InlineData(".", "'.' is not a valid interface name")]
    [InlineData("..", "'..' is not a valid interface name")]
    [InlineData("a/b", "interface name 'a/b' contains '/', which Linux does not allow")]
    [InlineData("eth0:1", "interface name 'eth0:1' contains ':', which Linux does not allow")]
    [InlineData("a b", "interface name 'a b' contains ' ', which Linux does not allow")]
    [InlineData("a\tb", "interface name 'a\tb' contains '\t', which Linux does not allow")]
    [InlineData("é0", "interface name 'é0' contains 'é', which Linux does not allow")]
    public void Validate_says_why_a_name_is_refused(string? name, string problem)
    {
        Assert.Equal(problem, InterfaceNames.Validate(name));
        var error = Assert.Throws<ArgumentException>(() => InterfaceNames.EnsureValid(name));
        Assert.Equal("name", error.ParamName);
        Assert.StartsWith(problem, error.Message, StringComparison.Ordinal);
    }
}
