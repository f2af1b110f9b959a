using Microsoft.Extensions.Logging;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Speaker;

/// <summary>The exporter's log messages. They name the peer themselves: an inline export (the first route after a quiet
/// spell) runs on the RIB's thread without the writer's peer scope.</summary>
internal sealed partial class PeerExporter
{
    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Not advertising {Family} routes to {Peer} (first: {Prefix}): {Reason}; the rest are counted as skipped")]
        public static partial void NoUsableNextHop(ILogger logger, BgpFamily family, string peer, IpPrefix prefix, string reason);
    }
}
