using System.Security.Cryptography;
using System.Text;

namespace Tabby.Core.Naming;

/// <summary>Linux interface names: the kernel's rules, and Calico's hashed host-side workload names.</summary>
public static class InterfaceNames
{
    /// <summary>IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxLength = 15;

    /// <summary>The prefix Calico gives host-side workload interfaces; agents sweep only links that carry it.</summary>
    public const string WorkloadPrefix = "cali";

    /// <summary>
    /// The host-side name for a workload: the prefix and the first hex digits of SHA-1 over the workload's ID,
    /// as Calico derives it, so the name is stable across restarts and fits IFNAMSIZ.
    /// </summary>
    public static string ForWorkload(string workloadId, string prefix = WorkloadPrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(workloadId);
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length >= MaxLength)
            throw new ArgumentException($"The interface prefix '{prefix}' leaves no room for the hash.", nameof(prefix));
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(workloadId));
        return prefix + Convert.ToHexStringLower(hash)[..(MaxLength - prefix.Length)];
    }

    /// <summary>Checks a name the way the kernel's dev_valid_name does; returns null when valid, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "an interface name cannot be empty";
        if (name.Length > MaxLength)
            return $"interface name '{name}' is {name.Length} characters; Linux allows at most {MaxLength}";
        if (name is "." or "..")
            return $"'{name}' is not a valid interface name";
        foreach (var c in name)
        {
            if (c == '/' || c == ':' || char.IsWhiteSpace(c) || c > 0x7e || c < 0x21)
                return $"interface name '{name}' contains '{c}', which Linux does not allow";
        }
        return null;
    }

    public static void EnsureValid(string? name)
    {
        var problem = Validate(name);
        if (problem is not null)
            throw new ArgumentException(problem, nameof(name));
    }
}
