namespace Tabby.Bgp.Wire;

/// <summary>Graceful restart capability (RFC 4724 3): restart flags, restart time and per-family forwarding state.</summary>
/// <param name="Restarting">The R bit: the sender has restarted and its peer must not wait for its End-of-RIB before selecting.</param>
/// <param name="NotificationSupport">The N bit (RFC 8538): graceful restart also applies after a NOTIFICATION.</param>
/// <param name="RestartTimeSeconds">0-4095 seconds the peer keeps stale routes while waiting for the session to return.</param>
public sealed record GracefulRestartCapability(
    bool Restarting,
    bool NotificationSupport,
    ushort RestartTimeSeconds,
    ValueList<GracefulRestartFamily> Families = default) : BgpCapability
{
    public const ushort MaxRestartTime = 0x0fff;

    public override byte Code => GracefulRestartCode;
}
