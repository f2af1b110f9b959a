using Microsoft.Extensions.Logging;

namespace Tabby.Datastore.Syncer;

/// <summary>The syncer's log messages, kept apart from its logic.</summary>
public sealed partial class DatastoreSyncer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Listed {Prefix}: {Count} keys at revision {Revision}")]
        public static partial void Listed(ILogger logger, string prefix, int count, long revision);

        [LoggerMessage(2, LogLevel.Warning, "Watch on {Prefix} failed; retrying in {BackoffMs} ms: {Reason}")]
        public static partial void WatchFailed(ILogger logger, string prefix, double backoffMs, string reason);

        [LoggerMessage(3, LogLevel.Information, "Watch on {Prefix} compacted; re-listing: {Reason}")]
        public static partial void Compacted(ILogger logger, string prefix, string reason);
    }
}
