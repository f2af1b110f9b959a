using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A failsafe port: protocol, port and optional CIDR that host policy can never block.</summary>
public sealed class ProtoPort
{
    /// <summary>tcp, udp or sctp; Felix assumes tcp when it is left out.</summary>
    public string? Protocol { get; set; }

    [AlwaysEmit]
    public int Port { get; set; }

    public string? Net { get; set; }
}
