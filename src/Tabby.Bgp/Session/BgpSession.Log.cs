using System.Net;
using Microsoft.Extensions.Logging;

namespace Tabby.Bgp.Session;

/// <summary>The session's log messages, kept apart from its logic; the peer is in the logging scope of the session's loop.</summary>
public sealed partial class BgpSession
{
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Debug, "State {From} -> {To}")]
        public static partial void StateChanged(ILogger logger, BgpSessionState from, BgpSessionState to);

        [LoggerMessage(101, LogLevel.Information, "State {From} -> {To}: session up")]
        public static partial void Established(ILogger logger, BgpSessionState from, BgpSessionState to);

        [LoggerMessage(102, LogLevel.Information, "State {From} -> Idle: {Reason}")]
        public static partial void Down(ILogger logger, BgpSessionState from, string reason);

        [LoggerMessage(103, LogLevel.Warning, "Sent NOTIFICATION {Code}/{Subcode} {Name} {Data}")]
        public static partial void NotificationSent(ILogger logger, byte code, byte subcode, string name, string data);

        [LoggerMessage(104, LogLevel.Warning, "Received NOTIFICATION {Code}/{Subcode} {Name} {Data}")]
        public static partial void NotificationReceived(ILogger logger, byte code, byte subcode, string name, string data);

        [LoggerMessage(105, LogLevel.Information, "Connecting to {Address} port {Port} failed: {Reason}; next attempt in {DelaySeconds} s")]
        public static partial void ConnectFailed(ILogger logger, IPAddress address, int port, string reason, double delaySeconds);

        [LoggerMessage(106, LogLevel.Information, "Connection collision: kept {Kept}, the higher BGP identifier is {Winner} (RFC 4271 6.8)")]
        public static partial void Collision(ILogger logger, string kept, string winner);

        [LoggerMessage(107, LogLevel.Information, "The peer reconnected from {Remote} while Established and negotiated graceful restart: closing the old connection, keeping the new one (RFC 4724 4.2)")]
        public static partial void PeerRestarted(ILogger logger, IPEndPoint remote);

        [LoggerMessage(108, LogLevel.Debug, "Refused a connection from {Remote}: the session is administratively down")]
        public static partial void InboundRefused(ILogger logger, IPEndPoint remote);

        [LoggerMessage(109, LogLevel.Error, "Handling {Event} in {State} failed; resetting the session")]
        public static partial void LoopFailed(ILogger logger, string @event, BgpSessionState state, Exception exception);

        [LoggerMessage(110, LogLevel.Error, "The session's {Task} task failed")]
        public static partial void BackgroundFailed(ILogger logger, string task, Exception exception);

        [LoggerMessage(111, LogLevel.Warning, "{Count} background task(s) did not end within 10 s of closing the session")]
        public static partial void BackgroundStuck(ILogger logger, int count);
    }
}
