namespace Tabby.Linux.Netns;

/// <summary>A namespace that does not exist, already exists, or could not be entered, created or removed.</summary>
public sealed class NamespaceException : Exception
{
    public NamespaceException()
    {
    }

    public NamespaceException(string message)
        : base(message)
    {
    }

    public NamespaceException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
