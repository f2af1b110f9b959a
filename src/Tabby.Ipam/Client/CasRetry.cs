using Tabby.Datastore;
using Tabby.Ipam.Errors;

namespace Tabby.Ipam.Client;

/// <summary>Runs a read-modify-write step until its compare-and-swap wins, with bounded, jittered backoff.</summary>
internal static class CasRetry
{
    /// <summary>Runs <paramref name="step"/>; a <see cref="CasConflictException"/> or <see cref="DatastoreConflictException"/> means "re-read and retry".</summary>
    /// <exception cref="IpamException">Code Contention: every attempt lost.</exception>
    public static async Task<T> RunAsync<T>(IpamOptions options, string what, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await step().ConfigureAwait(false);
            }
            catch (Exception e) when (e is CasConflictException or DatastoreConflictException)
            {
                if (attempt + 1 >= options.MaxAttempts)
                    throw new IpamException(IpamErrorCode.Contention, $"{what}: gave up after {options.MaxAttempts} attempts lost to concurrent writers", e);
            }

            // The first retry is immediate (a fresh read usually settles it); then full jitter over a
            // doubling bound, so contending hosts spread out instead of colliding in lockstep.
            if (attempt > 0)
            {
                var bound = Math.Min(options.MaxBackoff.TotalMilliseconds, Math.Pow(2, Math.Min(attempt, 16)) * 0.5);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound), options.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Throws a conflict when a transaction's guards did not hold.</summary>
    public static void EnsureSucceeded(TxnResult result, string what)
    {
        if (!result.Succeeded)
            throw new CasConflictException(what);
    }
}
