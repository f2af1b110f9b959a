using System.Net;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Probes;

/// <summary>
/// A ping that runs until stopped, as `ping -i` would, counting what was sent and lost: the measure of
/// "forwarding unchanged" while something fails. Each echo waits up to <c>timeout</c> for its reply.
/// </summary>
public sealed class ContinuousPing : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _sent;
    private int _lost;

    private ContinuousPing(NetworkNamespace from, IPAddress to, TimeSpan interval, TimeSpan timeout) =>
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Interlocked.Increment(ref _sent);
                if (!IcmpProbe.Once(from, to, timeout))
                    Interlocked.Increment(ref _lost);
                try
                {
                    await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Stopped between two echoes.
                }
            }
        });

    public int Sent => Volatile.Read(ref _sent);

    public int Lost => Volatile.Read(ref _lost);

    /// <summary>Starts pinging <paramref name="to"/> from inside <paramref name="from"/> every <paramref name="interval"/>.</summary>
    public static ContinuousPing Start(NetworkNamespace from, IPAddress to, TimeSpan interval, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return new ContinuousPing(from, to, interval, timeout ?? TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Stops after the echo in flight and returns what was sent and lost.</summary>
    public async Task<(int Sent, int Lost)> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        return (Sent, Lost);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
