using System.Globalization;
using Tabby.Core.Naming;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Sysctls;

/// <summary>Network sysctls of one namespace, read and written through /proc/sys from a thread inside it.</summary>
/// <remarks>
/// /proc/sys/net resolves against the namespace of the thread that opens the file, so writes are
/// made on a namespace thread; several writes go in one entry to pay for the thread once.
/// </remarks>
public sealed class Sysctl
{
    private readonly NetworkNamespace _namespace;

    public Sysctl(NetworkNamespace networkNamespace) => _namespace = networkNamespace ?? throw new ArgumentNullException(nameof(networkNamespace));

    /// <summary>Reads a sysctl by its /proc/sys-relative path, e.g. "net/ipv4/ip_forward".</summary>
    public string Read(string key) => _namespace.Run(() => ReadHere(key));

    /// <summary>Reads several sysctls in one entry into the namespace, in order; null for a key that does not exist there.</summary>
    public IReadOnlyList<string?> TryRead(params IEnumerable<string> keys)
    {
        var list = keys.ToList();
        return _namespace.Run(() => list.Select(TryReadHere).ToList());
    }

    /// <summary>Writes several sysctls in order; stops at the first failure with the key that failed.</summary>
    public void Write(params IEnumerable<SysctlSetting> settings)
    {
        var list = settings.ToList();
        _namespace.Run(() =>
        {
            foreach (var setting in list)
                WriteHere(setting.Key, setting.Value);
        });
    }

    public void Write(string key, string value) => Write(new SysctlSetting(key, value));

    public static SysctlSetting IpForward(bool on) => new("net/ipv4/ip_forward", Flag(on));
    public static SysctlSetting Ipv6Forwarding(bool on) => new("net/ipv6/conf/all/forwarding", Flag(on));
    public static SysctlSetting ProxyArp(string interfaceName, bool on) => new(Interface("net/ipv4/conf", interfaceName, "proxy_arp"), Flag(on));

    /// <summary>proxy_delay=0: answer proxied ARP at once instead of after up to 0.8 s.</summary>
    public static SysctlSetting ProxyDelay(string interfaceName, int centiseconds) =>
        new(Interface("net/ipv4/neigh", interfaceName, "proxy_delay"), centiseconds.ToString(CultureInfo.InvariantCulture));

    public static SysctlSetting Forwarding(string interfaceName, bool on, bool ipv6 = false) =>
        new(Interface(ipv6 ? "net/ipv6/conf" : "net/ipv4/conf", interfaceName, "forwarding"), Flag(on));

    /// <summary>0 off, 1 strict, 2 loose (RFC 3704).</summary>
    public static SysctlSetting RpFilter(string interfaceName, int mode) =>
        new(Interface("net/ipv4/conf", interfaceName, "rp_filter"), mode.ToString(CultureInfo.InvariantCulture));

    public static SysctlSetting AcceptRa(string interfaceName, int mode) =>
        new(Interface("net/ipv6/conf", interfaceName, "accept_ra"), mode.ToString(CultureInfo.InvariantCulture));

    public static SysctlSetting ProxyNdp(string interfaceName, bool on) => new(Interface("net/ipv6/conf", interfaceName, "proxy_ndp"), Flag(on));

    private static string Flag(bool on) => on ? "1" : "0";

    private static string Interface(string prefix, string interfaceName, string leaf)
    {
        if (interfaceName is not ("all" or "default"))
            InterfaceNames.EnsureValid(interfaceName);
        return $"{prefix}/{interfaceName}/{leaf}";
    }

    private static string PathOf(string key)
    {
        if (key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/'))
            throw new ArgumentException($"'{key}' is not a sysctl key", nameof(key));
        return "/proc/sys/" + key;
    }

    private static string ReadHere(string key) =>
        TryReadHere(key) ?? throw new SysctlException($"sysctl {key.Replace('/', '.')} does not exist in this namespace");

    private static string? TryReadHere(string key)
    {
        try
        {
            return File.ReadAllText(PathOf(key)).TrimEnd('\n');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void WriteHere(string key, string value)
    {
        try
        {
            File.WriteAllText(PathOf(key), value);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SysctlException($"sysctl {key.Replace('/', '.')} does not exist in this namespace (is the interface there?)", e);
        }
        catch (IOException e)
        {
            throw new SysctlException($"writing {value} to sysctl {key.Replace('/', '.')}: {e.Message}", e);
        }
    }
}
