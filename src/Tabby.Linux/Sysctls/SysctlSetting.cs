namespace Tabby.Linux.Sysctls;

/// <summary>One sysctl assignment, keyed by its path under /proc/sys (slashes, so interface names may hold dots).</summary>
public readonly record struct SysctlSetting(string Key, string Value)
{
    public override string ToString() => $"{Key.Replace('/', '.')}={Value}";
}
