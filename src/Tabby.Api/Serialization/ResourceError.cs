using System.Globalization;
using System.Text;

namespace Tabby.Api.Serialization;

/// <summary>One problem in a manifest: where (source, line, field path) and what.</summary>
/// <param name="Source">The file name or other label the text came from.</param>
/// <param name="Line">The 1-based line, or 0 when unknown.</param>
/// <param name="Path">The field path inside the resource, e.g. <c>spec.ingress[0].action</c>; empty for the document itself.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record ResourceError(string Source, int Line, string Path, string Message)
{
    /// <summary>The 1-based document in a multi-document input, or 0 when the error is not inside one (a syntax error).</summary>
    public int Document { get; init; }

    /// <summary>Formats as <c>source:line: path: message</c>, leaving out the parts that are unknown.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Source);
        if (Line > 0)
            text.Append(':').Append(Line.ToString(CultureInfo.InvariantCulture));
        text.Append(": ");
        if (Path.Length > 0)
            text.Append(Path).Append(": ");
        text.Append(Message);
        return text.ToString();
    }
}
