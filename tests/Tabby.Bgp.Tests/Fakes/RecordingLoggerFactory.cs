using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>Loggers that keep every record with the scopes it was written under, outermost first.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly AsyncLocal<Scope?> _current = new();

    public ConcurrentQueue<LogRecord> Records { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    public sealed record LogRecord(string Category, LogLevel Level, EventId Id, string Message, IReadOnlyList<string> Scopes);

    private sealed class Scope(RecordingLoggerFactory owner, object state, Scope? parent) : IDisposable
    {
        public object State => state;
        public Scope? Parent => parent;

        public void Dispose() => owner._current.Value = parent;
    }

    private sealed class Logger(RecordingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var scope = new Scope(owner, state, owner._current.Value);
            owner._current.Value = scope;
            return scope;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            for (var s = owner._current.Value; s is not null; s = s.Parent)
                scopes.Insert(0, s.State.ToString() ?? "");
            owner.Records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), scopes));
        }
    }
}
