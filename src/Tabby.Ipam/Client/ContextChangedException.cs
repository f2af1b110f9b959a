namespace Tabby.Ipam.Client;

/// <summary>A commit's guard on the settings, the node or the pool failed: they changed since the context was read. The request starts over with a fresh one.</summary>
internal sealed class ContextChangedException : Exception
{
    public ContextChangedException()
        : base("the IPAM settings, the node or the pool changed while allocating")
    {
    }

    public ContextChangedException(string message)
        : base(message)
    {
    }

    public ContextChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
