using System.Net;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;

namespace Tabby.Lab.Cluster;

/// <summary>One lab host: its namespace on the underlay and the agent programming it.</summary>
public sealed record ClusterHost(string Name, IPAddress Address, LabHost Underlay)
{
    /// <summary>The agent running for the host now (a restart replaces it).</summary>
    public required AgentProcess Agent { get; set; }

    public string Namespace => Underlay.Namespace.Name!;
}
