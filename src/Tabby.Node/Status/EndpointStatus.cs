namespace Tabby.Node.Status;

/// <summary>One local endpoint as `tabby node status` shows it.</summary>
public sealed record EndpointStatus(string Endpoint, string Interface, IReadOnlyList<string> Addresses, bool Programmed);
