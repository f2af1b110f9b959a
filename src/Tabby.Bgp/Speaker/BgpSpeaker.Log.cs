using System.Net;
using Microsoft.Extensions.Logging;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Speaker;

/// <summary>The speaker's log messages. The RIB loop serves every peer, so each message names its peer as the Peer property.</summary>
public sealed partial class BgpSpeaker
{
    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "BGP speaker AS{As} listening on {Listen} with {Peers} peer(s)")]
        public static partial void Started(ILogger logger, uint @as, string listen, int peers);

        [LoggerMessage(401, LogLevel.Information, "Peer {Peer} added: AS{RemoteAs} ({Kind}), families {Families}")]
        public static partial void PeerAdded(ILogger logger, IPAddress peer, uint remoteAs, string kind, string families);

        [LoggerMessage(402, LogLevel.Information, "Peer {Peer} removed")]
        public static partial void PeerRemoved(ILogger logger, IPAddress peer);

        [LoggerMessage(403, LogLevel.Information, "Peer {Peer} up: families {Families}, hold time {HoldTime} s, peer graceful restart: {GracefulRestart}")]
        public static partial void PeerUp(ILogger logger, IPAddress peer, string families, ushort holdTime, string gracefulRestart);

        [LoggerMessage(404, LogLevel.Information, "Peer {Peer} down ({Reason}): graceful restart does not apply, {Removed} route(s) removed")]
        public static partial void RoutesFlushed(ILogger logger, IPAddress peer, int removed, string reason);

        [LoggerMessage(405, LogLevel.Information, "Peer {Peer} down ({Reason}): keeping {Stale} {Family} route(s) as stale for up to {RestartTime} s (RFC 4724 4.2)")]
        public static partial void RoutesRetained(ILogger logger, IPAddress peer, BgpFamily family, int stale, ushort restartTime, string reason);

        [LoggerMessage(406, LogLevel.Information, "Peer {Peer} restarted again before refreshing its routes: {Swept} still-stale route(s) removed (RFC 4724 4.2)")]
        public static partial void ConsecutiveRestart(ILogger logger, IPAddress peer, int swept);

        [LoggerMessage(407, LogLevel.Information, "Peer {Peer} {Family}: removed {Swept} stale route(s): {Reason}")]
        public static partial void StaleSwept(ILogger logger, IPAddress peer, BgpFamily family, int swept, string reason);

        [LoggerMessage(408, LogLevel.Debug, "Peer {Peer} {Family}: End-of-RIB received, {Prefixes} route(s) from it")]
        public static partial void EndOfRibReceived(ILogger logger, IPAddress peer, BgpFamily family, long prefixes);

        [LoggerMessage(409, LogLevel.Debug, "Peer {Peer} asked for a refresh of {Family}, which the session did not negotiate: ignored (RFC 2918 3)")]
        public static partial void RefreshIgnored(ILogger logger, IPAddress peer, BgpFamily family);

        [LoggerMessage(410, LogLevel.Warning, "Peer {Peer} sent {Family} routes with next hop {NextHop}, which cannot carry them: treated as withdrawn")]
        public static partial void UnusableNextHop(ILogger logger, IPAddress peer, BgpFamily family, string nextHop);

        [LoggerMessage(411, LogLevel.Warning, "Peer {Peer} sent {Count} route(s) whose next hop {NextHop} is our own address: not installed or passed on (RFC 4271 5.1.3)")]
        public static partial void OwnNextHop(ILogger logger, IPAddress peer, IPAddress nextHop, int count);

        [LoggerMessage(412, LogLevel.Warning, "Accepting a connection failed: {Reason}")]
        public static partial void AcceptFailed(ILogger logger, string reason);

        [LoggerMessage(413, LogLevel.Debug, "Refused a connection from {Remote}, which is not a configured peer")]
        public static partial void UnknownPeerRefused(ILogger logger, IPAddress remote);

        [LoggerMessage(414, LogLevel.Error, "The RIB loop failed handling {Work}; continuing with the next item")]
        public static partial void RibLoopFailed(ILogger logger, string work, Exception exception);

        [LoggerMessage(416, LogLevel.Information, "Closed {Count} session(s) for a restart without NOTIFICATION: peers with graceful restart keep our routes")]
        public static partial void ClosedForRestart(ILogger logger, int count);

        [LoggerMessage(415, LogLevel.Information, "Peer {Peer} has new import/export policies: {Effect}")]
        public static partial void PoliciesChanged(ILogger logger, IPAddress peer, string effect);
    }
}
