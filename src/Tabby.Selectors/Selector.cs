using System.Diagnostics.CodeAnalysis;

namespace Tabby.Selectors;

/// <summary>A parsed Calico selector. (Placeholder contract; the selectors work fills it in.)</summary>
public sealed class Selector
{
    private Selector(string canonical) => Canonical = canonical;

    /// <summary>The canonical text of the selector.</summary>
    public string Canonical { get; }

    /// <summary>Parses a selector; on failure, error says what is wrong and where.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Selector? selector, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        selector = new Selector(text.Trim());
        error = null;
        return true;
    }
}
