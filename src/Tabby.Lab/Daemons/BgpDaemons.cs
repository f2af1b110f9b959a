using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Daemons;

/// <summary>Waits that read like the tests that use them.</summary>
public static class BgpDaemons
{
    public static Task WaitEstablishedAsync(this IBgpDaemon daemon, IPAddress neighbor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        return CommandRunner.WaitUntilAsync(
            () => (daemon.IsEstablished(neighbor), daemon.Log()),
            timeout ?? TimeSpan.FromSeconds(30),
            $"{daemon.Kind} to establish a session with {neighbor}");
    }

    public static Task WaitForPrefixesAsync(this IBgpDaemon daemon, IEnumerable<IpPrefix> expected, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var wanted = expected.ToHashSet();
        return CommandRunner.WaitUntilAsync(
            () =>
            {
                var have = daemon.Prefixes();
                return (wanted.IsSubsetOf(have), $"{daemon.Kind} has {string.Join(", ", have.Order())}");
            },
            timeout ?? TimeSpan.FromSeconds(30),
            $"{daemon.Kind} to learn {string.Join(", ", wanted.Order())}");
    }

    public static Task WaitForAbsenceAsync(this IBgpDaemon daemon, IEnumerable<IpPrefix> gone, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var unwanted = gone.ToHashSet();
        return CommandRunner.WaitUntilAsync(
            () =>
            {
                var have = daemon.Prefixes();
                return (!unwanted.Overlaps(have), $"{daemon.Kind} has {string.Join(", ", have.Order())}");
            },
            timeout ?? TimeSpan.FromSeconds(30),
            $"{daemon.Kind} to withdraw {string.Join(", ", unwanted.Order())}");
    }
}
