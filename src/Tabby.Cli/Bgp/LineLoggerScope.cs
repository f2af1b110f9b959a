namespace Tabby.Cli.Bgp;

/// <summary>One logging scope on the async flow: its state and the scope it is nested in.</summary>
internal sealed class LineLoggerScope(LineLoggerFactory factory, object state, LineLoggerScope? parent) : IDisposable
{
    public object State { get; } = state;
    public LineLoggerScope? Parent { get; } = parent;

    public void Dispose() => factory.Pop(this);
}
