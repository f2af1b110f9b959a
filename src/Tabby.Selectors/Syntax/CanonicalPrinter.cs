using System.Text;

namespace Tabby.Selectors.Syntax;

/// <summary>Prints a selector tree in canonical form: Calico's spacing and quoting, minimal parentheses.</summary>
/// <remarks>
/// Calico wraps every &amp;&amp;/|| group in parentheses; here only the parentheses that the
/// precedence needs are printed (an || inside an &amp;&amp;, a group under '!'), which reads like
/// what people write and still re-parses to the same tree.
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
                AppendOperand(sb, node.Children[0], wrapAnd: true);
                break;
            case NodeKind.And:
                AppendJoined(sb, node, " && ", wrapAnd: false);
                break;
            case NodeKind.Or:
                AppendJoined(sb, node, " || ", wrapAnd: false);
                break;
            default:
                throw new InvalidOperationException($"unknown node kind {node.Kind}");
        }
    }

    private static void AppendJoined(StringBuilder sb, SelectorNode node, string op, bool wrapAnd)
    {
        for (var i = 0; i < node.Children.Length; i++)
        {
            if (i > 0)
                sb.Append(op);
            AppendOperand(sb, node.Children[i], wrapAnd);
        }
    }

    // An || operand always needs parentheses below an && or a '!'; an && operand only below a '!'.
    private static void AppendOperand(StringBuilder sb, SelectorNode operand, bool wrapAnd)
    {
        var wrap = operand.Kind == NodeKind.Or || (wrapAnd && operand.Kind == NodeKind.And);
        if (wrap)
            sb.Append('(');
        Append(sb, operand);
        if (wrap)
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
