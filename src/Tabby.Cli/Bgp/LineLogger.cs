using Microsoft.Extensions.Logging;

namespace Tabby.Cli.Bgp;

/// <summary>One category's logger of a <see cref="LineLoggerFactory"/>.</summary>
internal sealed class LineLogger(LineLoggerFactory factory, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => factory.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.Minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
            factory.Write(logLevel, category, formatter(state, exception), exception);
    }
}
