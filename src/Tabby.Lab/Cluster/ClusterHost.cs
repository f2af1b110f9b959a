using System.Net;
using Tabby.Lab.Daemons;
using Tabby.Lab.Topology;

namespace Tabby.Lab.Cluster;

/// <summary>One lab host: its namespace on the underlay and the agent programming it.</summary>
public sealed record ClusterHost(string Name, IPAddress Address, LabHost Underlay, AgentProcess Agent)
{
    public string Namespace => Underlay.Namespace.Name!;
}
