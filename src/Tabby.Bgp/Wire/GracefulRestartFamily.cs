namespace Tabby.Bgp.Wire;

/// <summary>One AFI/SAFI entry of the graceful restart capability and whether forwarding state was preserved.</summary>
public readonly record struct GracefulRestartFamily(BgpFamily Family, bool ForwardingStatePreserved);
