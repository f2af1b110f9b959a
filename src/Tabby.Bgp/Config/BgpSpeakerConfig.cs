using System.Net;

namespace Tabby.Bgp.Config;

/// <summary>The local side: identity, AS, where to listen, and graceful-restart timing.</summary>
public sealed record BgpSpeakerConfig(uint RouterId, uint As)
{
    /// <summary>Where to accept connections; null means do not listen (every peer is active).</summary>
    public IPEndPoint? Listen { get; init; } = new(IPAddress.Any, 179);

    /// <summary>The route-reflection cluster ID (RFC 4456); defaults to the router ID.</summary>
    public uint? ClusterId { get; init; }

    /// <summary>How long neighbours should keep our routes while we restart (RFC 4724), in seconds.</summary>
    public ushort RestartTime { get; init; } = 120;

    /// <summary>
    /// How long a restarted peer's stale routes are kept once its session is back, if its End-of-RIB never comes
    /// (the upper bound RFC 4724 4.2 allows; FRR's default). The peer's restart time only bounds the wait for the session.
    /// </summary>
    public TimeSpan StalePathTime { get; init; } = TimeSpan.FromSeconds(360);

    /// <summary>
    /// This host's own addresses, besides those the sessions run on: a received route whose next hop is one of them
    /// is ours coming back and is never installed or passed on (RFC 4271 5.1.3).
    /// </summary>
    public IReadOnlyList<IPAddress> LocalAddresses { get; init; } = [];

    /// <summary>Set after a restart: the R bit tells neighbours to keep our stale routes until our End-of-RIB.</summary>
    public bool Restarting { get; init; }

    public static uint ParseRouterId(string dotted) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(dotted).GetAddressBytes());
}
