using System.Globalization;

namespace Tabby.Selectors.Syntax;

/// <summary>Recursive-descent parser for Calico's selector language.</summary>
/// <remarks>
/// Grammar, loosest first (as Calico's parser): or := and ('||' and)*; and := unary ('&amp;&amp;' unary)*;
/// unary := '!'* primary; primary := '(' or ')' | has(label) | all() | global() | label op literal.
/// Whitespace is spaces and tabs only, as in Calico, so a selector Calico refuses is refused here too.
/// The scanner works on the string directly so every error can name the exact character.
/// </remarks>
internal sealed class SelectorParser
{
    /// <summary>Calico's limit on a label key in a selector.</summary>
    public const int MaxLabelLength = 512;

    // Recursion only happens through parentheses; a bound keeps hostile input off the stack limit.
    private const int MaxDepth = 200;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private SelectorParser(string text) => _text = text;

    public static SelectorNode Parse(string text)
    {
        var parser = new SelectorParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
            return SelectorNode.All;
        var root = parser.ParseOr();
        parser.SkipSpace();
        if (!parser.AtEnd)
            throw parser.Error(parser.Peek() == ')' ? "unexpected ')'" : "expected '&&', '||' or end of selector");
        return root;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private SelectorNode ParseOr()
    {
        var first = ParseAnd();
        SkipSpace();
        if (!LookingAt("||"))
            return first;
        var operands = new List<SelectorNode> { first };
        while (LookingAt("||"))
        {
            _pos += 2;
            operands.Add(ParseAnd());
            SkipSpace();
        }
        return SelectorNode.Junction(NodeKind.Or, operands);
    }

    private SelectorNode ParseAnd()
    {
        var first = ParseUnary();
        SkipSpace();
        if (!LookingAt("&&"))
            return first;
        var operands = new List<SelectorNode> { first };
        while (LookingAt("&&"))
        {
            _pos += 2;
            operands.Add(ParseUnary());
            SkipSpace();
        }
        return SelectorNode.Junction(NodeKind.And, operands);
    }

    private SelectorNode ParseUnary()
    {
        // Collapse a run of '!' to its parity, as Calico does.
        var negated = false;
        while (true)
        {
            SkipSpace();
            if (Peek() != '!')
                break;
            if (Peek(1) == '=')
                throw Error("unexpected '!='; expected a label, '(', '!', has(), all() or global()");
            negated = !negated;
            _pos++;
        }
        var primary = ParsePrimary();
        return negated ? SelectorNode.Not(primary) : primary;
    }

    private SelectorNode ParsePrimary()
    {
        SkipSpace();
        if (AtEnd)
            throw Error("unexpected end of selector; expected a label, '(', '!', has(), all() or global()");
        var c = Peek();
        if (c == '(')
        {
            if (++_depth > MaxDepth)
                throw Error($"parentheses nested more than {MaxDepth} deep");
            _pos++;
            var inner = ParseOr();
            SkipSpace();
            if (Peek() != ')')
                throw Error(AtEnd ? "expected ')' but the selector ended" : "expected ')'");
            _pos++;
            _depth--;
            return inner;
        }
        if (LookingAt("has("))
        {
            _pos += 4;
            SkipSpace();
            var key = ReadLabel("a label name inside has()");
            SkipSpace();
            Expect(')', "after the label in has()");
            return SelectorNode.Has(key);
        }
        if (LookingAt("all("))
        {
            _pos += 4;
            SkipSpace();
            Expect(')', "after all(");
            return SelectorNode.All;
        }
        if (LookingAt("global("))
        {
            _pos += 7;
            SkipSpace();
            Expect(')', "after global(");
            return SelectorNode.Global;
        }
        if (!IsLabelChar(c))
        {
            throw Error(c is '"' or '\''
                ? "unexpected string literal; expected a label, '(', '!', has(), all() or global()"
                : $"unexpected character '{c}'; expected a label, '(', '!', has(), all() or global()");
        }
        var label = ReadLabel("a label");
        return ParseOperation(label);
    }

    private SelectorNode ParseOperation(string key)
    {
        SkipSpace();
        var opStart = _pos;
        if (LookingAt("=="))
        {
            _pos += 2;
            return SelectorNode.Compare(NodeKind.Equals, key, ReadString());
        }
        if (LookingAt("!="))
        {
            _pos += 2;
            return SelectorNode.Compare(NodeKind.NotEquals, key, ReadString());
        }
        if (LookingAt("contains"))
        {
            _pos += 8;
            return SelectorNode.Compare(NodeKind.Contains, key, ReadString());
        }
        if (LookingAt("starts"))
        {
            _pos += 6;
            ExpectWord("with", opStart, "'starts' must be followed by 'with'");
            return SelectorNode.Compare(NodeKind.StartsWith, key, ReadString());
        }
        if (LookingAt("ends"))
        {
            _pos += 4;
            ExpectWord("with", opStart, "'ends' must be followed by 'with'");
            return SelectorNode.Compare(NodeKind.EndsWith, key, ReadString());
        }
        if (LookingAt("not"))
        {
            _pos += 3;
            ExpectWord("in", opStart, "'not' must be followed by 'in'");
            return SelectorNode.InSet(true, key, ReadSet());
        }
        if (LookingAt("in"))
        {
            _pos += 2;
            return SelectorNode.InSet(false, key, ReadSet());
        }
        if (Peek() == '=')
            throw Error("expected '==' (a single '=' is not an operator)");
        throw Error(AtEnd
            ? $"expected an operator after label '{key}' but the selector ended"
            : $"expected an operator (==, !=, in, not in, contains, starts with, ends with) after label '{key}'");
    }

    private void ExpectWord(string word, int opStart, string reason)
    {
        SkipSpace();
        if (!LookingAt(word))
            throw new SelectorSyntaxException(reason, AtEnd ? opStart : _pos, _text);
        _pos += word.Length;
    }

    private List<string> ReadSet()
    {
        SkipSpace();
        Expect('{', "to open the set after 'in'");
        var values = new List<string>();
        SkipSpace();
        // As Calico: values separated by commas, a trailing comma allowed, an empty set allowed.
        while (Peek() is '"' or '\'')
        {
            values.Add(ReadString());
            SkipSpace();
            if (Peek() != ',')
                break;
            _pos++;
            SkipSpace();
        }
        if (Peek() != '}')
        {
            throw Error(AtEnd ? "expected '}' but the selector ended"
                : values.Count == 0 ? "expected a string literal or '}'" : "expected ',' or '}'");
        }
        _pos++;
        return values;
    }

    private string ReadString()
    {
        SkipSpace();
        var quote = Peek();
        if (quote is not ('"' or '\''))
            throw Error(AtEnd ? "expected a string literal but the selector ended" : "expected a string literal");
        var start = _pos;
        var end = _text.IndexOf(quote, _pos + 1);
        if (end < 0)
            throw new SelectorSyntaxException("unterminated string literal", start, _text);
        _pos = end + 1;
        return _text.Substring(start + 1, end - start - 1);
    }

    private string ReadLabel(string what)
    {
        var start = _pos;
        while (!AtEnd && IsLabelChar(_text[_pos]))
            _pos++;
        var length = _pos - start;
        if (length == 0)
            throw Error(AtEnd ? $"expected {what} but the selector ended" : $"expected {what}");
        if (length > MaxLabelLength)
        {
            throw new SelectorSyntaxException(
                string.Create(CultureInfo.InvariantCulture, $"label is {length} characters long; at most {MaxLabelLength} are allowed"),
                start, _text);
        }
        // Keys are a small vocabulary shared by thousands of selectors; one instance per key keeps
        // evaluation in cache and lets label lookups succeed on reference equality.
        return string.Intern(_text.Substring(start, length));
    }

    private void Expect(char c, string context)
    {
        if (Peek() != c)
            throw Error(AtEnd ? $"expected '{c}' {context} but the selector ended" : $"expected '{c}' {context}");
        _pos++;
    }

    private bool LookingAt(string s) => _text.AsSpan(_pos).StartsWith(s, StringComparison.Ordinal);

    private void SkipSpace()
    {
        while (!AtEnd && _text[_pos] is ' ' or '\t')
            _pos++;
    }

    private SelectorSyntaxException Error(string reason) => new(reason, _pos, _text);

    /// <summary>Calico's label key characters: [A-Za-z0-9_./-].</summary>
    internal static bool IsLabelChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '/' or '-';
}
