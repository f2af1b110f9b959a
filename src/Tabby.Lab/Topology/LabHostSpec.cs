using System.Net;
using Tabby.Core.Addressing;

namespace Tabby.Lab.Topology;

/// <summary>One host of a lab: its underlay address, the address block its workloads come from, and the workloads.</summary>
public sealed record LabHostSpec(string Name, IPAddress Address, IpPrefix Block, IReadOnlyList<IPAddress> Workloads);
