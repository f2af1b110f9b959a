using System.Net;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Topology;

/// <summary>One rack of a leaf-and-spine lab: its top-of-rack router's namespace, the hosts' segment and the uplink.</summary>
/// <param name="Index">The rack number (0-based).</param>
/// <param name="Namespace">The top-of-rack router's namespace; it holds the rack's bridge.</param>
/// <param name="Gateway">The router's address on the hosts' segment (10.0.r.1).</param>
/// <param name="Segment">The hosts' segment (10.0.r.0/24).</param>
/// <param name="Uplink">The router's end of the link to the spine (172.16.r.0/31).</param>
/// <param name="SpineSide">The spine's end of that link.</param>
/// <param name="Hosts">The rack's hosts.</param>
public sealed record TorRack(int Index, NetworkNamespace Namespace, IPAddress Gateway, Core.Addressing.IpPrefix Segment, IPAddress Uplink, IPAddress SpineSide, IReadOnlyList<LabHost> Hosts);
