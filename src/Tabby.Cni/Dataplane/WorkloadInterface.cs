namespace Tabby.Cni.Dataplane;

/// <summary>What ADD built: the host side's name, index and MAC, the container side's MAC, and the container's routes.</summary>
public sealed record WorkloadInterface(string HostName, int HostIndex, string HostMac, string ContainerMac, IReadOnlyList<WorkloadRoute> Routes);
