using System.Net;
using System.Net.NetworkInformation;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Probes;

/// <summary>One ICMP echo from inside a namespace, without starting a process: for benchmarks that probe every few milliseconds.</summary>
/// <remarks>The raw socket belongs to the namespace of the thread that opens it, so the echo is sent from inside <c>ns</c>.</remarks>
public static class IcmpProbe
{
    public static bool Once(NetworkNamespace ns, IPAddress target, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(target);
        return ns.Run(() =>
        {
            using var ping = new System.Net.NetworkInformation.Ping();
            try
            {
                return ping.Send(target, (int)Math.Max(1, timeout.TotalMilliseconds)).Status == IPStatus.Success;
            }
            catch (PingException)
            {
                return false;
            }
        });
    }
}
