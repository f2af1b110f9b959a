namespace Tabby.Cni.Results;

/// <summary>An interface in a result; <see cref="Sandbox"/> is the container's netns path, empty for a host interface.</summary>
public sealed record ResultInterface(string Name, string? Mac = null, string? Sandbox = null, int? Mtu = null);
