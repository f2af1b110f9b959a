namespace Tabby.Selectors;

/// <summary>A selector that does not parse; says what was expected and at which character.</summary>
public sealed class SelectorSyntaxException : FormatException
{
    public SelectorSyntaxException()
        : this("invalid selector")
    {
    }

    public SelectorSyntaxException(string message)
        : base(message)
    {
        Reason = message;
        Text = string.Empty;
    }

    public SelectorSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Text = string.Empty;
    }

    public SelectorSyntaxException(string reason, int position, string text)
        : base($"{reason} at position {position} in '{text}'")
    {
        Reason = reason;
        Position = position;
        Text = text;
    }

    /// <summary>What went wrong, without the position and text.</summary>
    public string Reason { get; }

    /// <summary>The 0-based character offset in <see cref="Text"/> where the problem was found.</summary>
    public int Position { get; }

    /// <summary>The selector as given.</summary>
    public string Text { get; }
}
