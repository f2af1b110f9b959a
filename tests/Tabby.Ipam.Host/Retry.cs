using Tabby.Datastore;
using Tabby.Ipam.Errors;

namespace Tabby.Ipam.Host;

/// <summary>Retries a step through datastore outages and lost races, with bounded, growing waits; gives up after a deadline.</summary>
internal static class Retry
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <param name="step">Gets the attempt number (0 first), so a retry can first look whether an earlier attempt took effect.</param>
    public static async Task<T> RunAsync<T>(string what, Func<int, Task<T>> step)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await step(attempt);
            }
            catch (Exception e) when (Transient(e) && DateTime.UtcNow - started < Deadline)
            {
                await Console.Error.WriteLineAsync($"retry {what}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            }

            var wait = Math.Min(1000, 25 << Math.Min(attempt, 6));
            await Task.Delay(TimeSpan.FromMilliseconds(wait / 2 + Random.Shared.Next(wait / 2 + 1)));
        }
    }

    /// <summary>An outage (etcd down, a call that timed out) or contention: worth trying again. A conflict or a full pool is not.</summary>
    private static bool Transient(Exception e) => e switch
    {
        DatastoreUnavailableException => true,
        DatastoreConflictException or DatastoreNotFoundException or DatastoreCompactedException => false,
        DatastoreException => true,
        IpamException { Code: IpamErrorCode.Contention } => true,
        IpamException { InnerException: DatastoreException inner } => Transient(inner),
        _ => false,
    };
}
