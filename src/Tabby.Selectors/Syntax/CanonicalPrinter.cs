using System.Text;

namespace Tabby.Selectors.Syntax;

/// <summary>Prints a parsed selector tree exactly as Calico's <c>Selector.String()</c> does.</summary>
/// <remarks>
/// Calico wraps every &amp;&amp; and || group in parentheses (the outermost too) and prints '!'
/// straight before its operand, and its selector IDs hash this text, so Tabby prints the same
/// characters to get the same IDs. One consequence is Calico's too: <c>!(!has(a))</c> prints as
/// <c>!!has(a)</c>, which re-parses to <c>has(a)</c>, so the canonical text is not always a fixed point.
/// </remarks>
internal static class CanonicalPrinter
{
    public static string Print(SelectorNode node)
    {
        var sb = new StringBuilder();
        Append(sb, node);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, SelectorNode node)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
                sb.Append("all()");
                break;
            case NodeKind.Global:
                sb.Append("global()");
                break;
            case NodeKind.Has:
                sb.Append("has(").Append(node.Key).Append(')');
                break;
            case NodeKind.Equals:
                AppendComparison(sb, node.Key!, " == ", node.Value!);
                break;
            case NodeKind.NotEquals:
                AppendComparison(sb, node.Key!, " != ", node.Value!);
                break;
            case NodeKind.Contains:
                AppendComparison(sb, node.Key!, " contains ", node.Value!);
                break;
            case NodeKind.StartsWith:
                AppendComparison(sb, node.Key!, " starts with ", node.Value!);
                break;
            case NodeKind.EndsWith:
                AppendComparison(sb, node.Key!, " ends with ", node.Value!);
                break;
            case NodeKind.In:
            case NodeKind.NotIn:
                sb.Append(node.Key).Append(node.Kind == NodeKind.In ? " in {" : " not in {");
                for (var i = 0; i < node.Values!.Length; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    AppendQuoted(sb, node.Values[i]);
                }
                sb.Append('}');
                break;
            case NodeKind.Not:
                sb.Append('!');
                Append(sb, node.Children[0]);
                break;
            case NodeKind.And:
                AppendGroup(sb, node, " && ");
                break;
            case NodeKind.Or:
                AppendGroup(sb, node, " || ");
                break;
            default:
                throw new InvalidOperationException($"unknown node kind {node.Kind}");
        }
    }

    private static void AppendGroup(StringBuilder sb, SelectorNode node, string op)
    {
        sb.Append('(');
        for (var i = 0; i < node.Children.Length; i++)
        {
            if (i > 0)
                sb.Append(op);
            Append(sb, node.Children[i]);
        }
        sb.Append(')');
    }

    private static void AppendComparison(StringBuilder sb, string key, string op, string value)
    {
        sb.Append(key).Append(op);
        AppendQuoted(sb, value);
    }

    // No escapes exist, so a value holding a double quote can only be written in single quotes.
    private static void AppendQuoted(StringBuilder sb, string value)
    {
        var quote = value.Contains('"', StringComparison.Ordinal) ? '\'' : '"';
        sb.Append(quote).Append(value).Append(quote);
    }
}
