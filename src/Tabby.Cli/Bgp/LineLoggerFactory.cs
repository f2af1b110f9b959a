using Microsoft.Extensions.Logging;

namespace Tabby.Cli.Bgp;

/// <summary>Loggers that write one line per message to a text writer (stderr for `tabby bgp run`): time, level, category, scopes, message.</summary>
/// <remarks>
/// The daemon's own sink instead of Microsoft.Extensions.Logging.Console: that one brings the options,
/// configuration and DI stacks into a process whose memory budget is the point, for a line format this covers.
/// </remarks>
internal sealed class LineLoggerFactory(TextWriter output, LogLevel minimum, TimeProvider? time = null) : ILoggerFactory
{
    private readonly Lock _write = new();
    private readonly AsyncLocal<LineLoggerScope?> _scope = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public LogLevel Minimum { get; } = minimum;

    public ILogger CreateLogger(string categoryName) => new LineLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the line logger writes to its own output only");

    public void Dispose()
    {
        lock (_write)
            output.Flush();
    }

    internal IDisposable Push(object state)
    {
        var scope = new LineLoggerScope(this, state, _scope.Value);
        _scope.Value = scope;
        return scope;
    }

    internal void Pop(LineLoggerScope scope) => _scope.Value = scope.Parent;

    internal void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var scopes = string.Empty;
        for (var s = _scope.Value; s is not null; s = s.Parent)
            scopes = $" [{s.State}]" + scopes;
        var line = $"{_time.GetLocalNow():HH:mm:ss.fff} {Level(level)} {category}{scopes}: {message}{(exception is null ? "" : Environment.NewLine + exception)}";
        lock (_write)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
