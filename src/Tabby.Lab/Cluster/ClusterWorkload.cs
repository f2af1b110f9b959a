using System.Net;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Cluster;

/// <summary>One workload made by the CNI plugin: its namespace, its address and the host it sits on.</summary>
public sealed record ClusterWorkload(string Name, string ContainerId, NetworkNamespace Namespace, IPAddress Address, ClusterHost Host, TimeSpan AddTime)
{
    /// <summary>The plugin's peak RSS during ADD, when the lab measured it.</summary>
    public double? AddPeakRssMb { get; init; }
}
