using Microsoft.Extensions.Logging;

namespace Tabby.Bgp.Speaker;

/// <summary>The peer writer's log messages; the peer's logging scope names the peer (the writer's, or on the inline path the one <see cref="FailedQuietly"/> opens).</summary>
internal sealed partial class PeerRuntime
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Debug, "Sending to the peer failed ({Reason}); the session will notice and start over")]
        public static partial void SendFailed(ILogger logger, string reason);

        [LoggerMessage(201, LogLevel.Error, "Exporting to the peer failed; resetting the session so it starts over with a full table")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
