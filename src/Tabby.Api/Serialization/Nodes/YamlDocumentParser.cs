using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tabby.Api.Serialization.Nodes;

/// <summary>Parses YAML text (any number of documents) into <see cref="DocNode"/> trees with line numbers.</summary>
/// <remarks>
/// YamlDotNet's event parser is used rather than its object deserializer because binding must see
/// every key (to reject unknown ones) and where each one was written.
/// </remarks>
internal static partial class YamlDocumentParser
{
    public static List<ParsedDocument> Parse(string text, string source, List<ResourceError> errors)
    {
        var documents = new List<ParsedDocument>();
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, DocNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                anchors.Clear();
                var root = ParseNode(parser, anchors, errors, source);
                parser.Consume<DocumentEnd>();
                if (root is ScalarNode { IsNull: true })
                    continue; // an empty document, e.g. a trailing '---'
                documents.Add(new ParsedDocument(documents.Count + 1, root));
            }
            parser.Consume<StreamEnd>();
        }
        catch (YamlException ex)
        {
            errors.Add(new ResourceError(source, (int)ex.Start.Line, "", "invalid YAML: " + StripPosition(ex.Message)));
        }
        return documents;
    }

    private static DocNode ParseNode(IParser parser, Dictionary<string, DocNode> anchors, List<ResourceError> errors, string source)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        var line = (int)current.Start.Line;
        DocNode node;
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new YamlException(alias.Start, alias.End, $"unknown alias '{alias.Value.Value}'");
                return target;
            case Scalar scalar:
                parser.MoveNext();
                var isString = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
                    || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str");
                node = new ScalarNode(scalar.Value, isString, line);
                if (!scalar.Anchor.IsEmpty)
                    anchors[scalar.Anchor.Value] = node;
                return node;
            case SequenceStart start:
                parser.MoveNext();
                var sequence = new SequenceNode(line);
                if (!start.Anchor.IsEmpty)
                    anchors[start.Anchor.Value] = sequence;
                while (!parser.TryConsume<SequenceEnd>(out _))
                    sequence.Items.Add(ParseNode(parser, anchors, errors, source));
                return sequence;
            case MappingStart mapStart:
                parser.MoveNext();
                var mapping = new MappingNode(line);
                if (!mapStart.Anchor.IsEmpty)
                    anchors[mapStart.Anchor.Value] = mapping;
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ParseNode(parser, anchors, errors, source);
                    var value = ParseNode(parser, anchors, errors, source);
                    if (key is not ScalarNode keyScalar)
                    {
                        errors.Add(new ResourceError(source, key.Line, "", "a mapping key must be a plain string"));
                        continue;
                    }
                    if (!seen.Add(keyScalar.Value))
                    {
                        // Go's decoder lets the last one win silently; a duplicate is almost always a mistake.
                        errors.Add(new ResourceError(source, keyScalar.Line, "", $"duplicate key '{keyScalar.Value}'"));
                        continue;
                    }
                    mapping.Entries.Add(new(keyScalar, value));
                }
                return mapping;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    // YamlDotNet prefixes every message with "(Line: n, Col: n, Idx: n) - (...): "; the line is reported separately.
    private static string StripPosition(string message) => PositionPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
