namespace Tabby.Bgp.Session;

/// <summary>A cancelled timer's placeholder, so a generation can outlive the timer it counted.</summary>
internal sealed class NullTimer : ITimer
{
    public static NullTimer Instance { get; } = new();

    public bool Change(TimeSpan dueTime, TimeSpan period) => false;

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
