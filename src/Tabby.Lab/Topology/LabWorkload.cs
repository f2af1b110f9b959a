using System.Net;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Topology;

/// <summary>A workload namespace: one address, reached through a host-side cali interface.</summary>
public sealed record LabWorkload(string Name, IPAddress Address, NetworkNamespace Namespace, string HostInterface, LabHost Host);
