using Microsoft.Extensions.Logging;

namespace Tabby.Node.Tests.Dataplane;

/// <summary>Keeps every log line, with its level and event, for a test to read.</summary>
public sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, EventId Event, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Add((logLevel, eventId, formatter(state, exception)));
    }
}
