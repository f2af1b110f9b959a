using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Daemons;

/// <summary>A reference BGP implementation running in a lab namespace, queried through its own CLI.</summary>
public interface IBgpDaemon : IDisposable
{
    /// <summary>"bird", "frr" or "gobgp".</summary>
    string Kind { get; }

    /// <summary>The pid of the BGP process (what a graceful-restart test would kill).</summary>
    int Pid { get; }

    /// <summary>True when the session with <paramref name="neighbor"/> is Established.</summary>
    bool IsEstablished(IPAddress neighbor);

    /// <summary>The IPv4 and IPv6 unicast prefixes in the daemon's RIB (best paths), originated or learned.</summary>
    IReadOnlySet<IpPrefix> Prefixes();

    /// <summary>The daemon's recent log, for failure messages.</summary>
    string Log();
}
