namespace Tabby.Lab.Probes;

/// <summary>What a <see cref="ContinuousPing"/> counted: echoes sent, distinct replies, and when each lost echo was sent (from the start).</summary>
public sealed record ContinuousPingResult(long Sent, long Received, IReadOnlyList<TimeSpan> LostAt)
{
    public long Lost => Sent - Received;
}
