namespace Tabby.Lab.Cluster;

/// <summary>A running lab as other `tabby lab` commands find it (written by the lab's supervisor).</summary>
public sealed record ClusterState
{
    public int SupervisorPid { get; init; }

    public string Prefix { get; init; } = "";

    public string WorkDirectory { get; init; } = "";

    public string Datastore { get; init; } = "";

    public IReadOnlyList<HostState> Hosts { get; init; } = [];

    public IReadOnlyList<WorkloadState> Workloads { get; init; } = [];

    /// <summary>Reads a state file's text.</summary>
    /// <exception cref="System.Text.Json.JsonException">It is not a lab state.</exception>
    public static ClusterState Parse(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, ClusterStateJson.Default.ClusterState) ?? throw new System.Text.Json.JsonException("empty lab state");

    public sealed record HostState(string Name, string Namespace, string Address, int AgentPid, string ControlSocket);

    public sealed record WorkloadState(string Name, string Namespace, string Address, string Host);
}
