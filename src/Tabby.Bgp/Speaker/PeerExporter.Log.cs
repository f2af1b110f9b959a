using Microsoft.Extensions.Logging;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>The exporter's log messages; it runs on the peer's writer, whose logging scope names the peer.</summary>
internal sealed partial class PeerExporter
{
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Not advertising {Family} routes (first: {Prefix}): {Reason}; the rest are counted as skipped")]
        public static partial void NoUsableNextHop(ILogger logger, BgpFamily family, IpPrefix prefix, string reason);
    }
}
