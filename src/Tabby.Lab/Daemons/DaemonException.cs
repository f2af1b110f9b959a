namespace Tabby.Lab.Daemons;

/// <summary>A daemon that is missing, would not start, or did not reach the state a test waited for.</summary>
public sealed class DaemonException : Exception
{
    public DaemonException()
    {
    }

    public DaemonException(string message)
        : base(message)
    {
    }

    public DaemonException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
