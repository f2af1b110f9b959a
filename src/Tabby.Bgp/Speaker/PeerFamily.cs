using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>One family of one peer as the speaker tracks it: counts, graceful-restart state, End-of-RIB both ways.</summary>
/// <remarks>
/// The RIB loop writes the receive side; the peer's writer writes the send side. Status reads both from
/// other threads: every field is a single word, so a reader sees each value whole, if not all at one instant.
/// </remarks>
internal sealed class PeerFamily(BgpFamily family)
{
    public BgpFamily Family { get; } = family;

    // Receive side, RIB loop.
    public long PrefixesIn;
    public int Stale;
    public GracefulRestartState GracefulRestart;
    public bool EndOfRibReceived;

    // Send side, writer.
    public long PrefixesOut;
    public long Skipped;
    public bool EndOfRibSent;
}
