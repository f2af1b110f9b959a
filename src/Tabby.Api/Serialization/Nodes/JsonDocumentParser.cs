using System.Text;
using System.Text.Json;

namespace Tabby.Api.Serialization.Nodes;

/// <summary>Parses JSON text (one value or several in a row) into <see cref="DocNode"/> trees with line numbers.</summary>
/// <remarks>
/// System.Text.Json's reader gives byte offsets, not lines, so the line of each token is found
/// from a table of line starts; syntax errors carry their own line in <see cref="JsonException"/>.
/// </remarks>
internal static class JsonDocumentParser
{
    public static List<ParsedDocument> Parse(string text, string source, List<ResourceError> errors)
    {
        var documents = new List<ParsedDocument>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
                lineStarts.Add(i + 1);
        }
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 256 });
        try
        {
            while (reader.Read())
                documents.Add(new ParsedDocument(documents.Count + 1, ReadValue(ref reader, lineStarts, errors, source)));
        }
        catch (JsonException ex)
        {
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
                message = message[..cut];
            errors.Add(new ResourceError(source, (int)(ex.LineNumber ?? 0) + 1, "", "invalid JSON: " + message.TrimEnd()));
        }
        return documents;
    }

    private static int LineOf(long offset, List<int> lineStarts)
    {
        var index = lineStarts.BinarySearch((int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private static DocNode ReadValue(ref Utf8JsonReader reader, List<int> lineStarts, List<ResourceError> errors, string source)
    {
        var line = LineOf(reader.TokenStartIndex, lineStarts);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var mapping = new MappingNode(line);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = new ScalarNode(reader.GetString()!, true, LineOf(reader.TokenStartIndex, lineStarts));
                    reader.Read();
                    var value = ReadValue(ref reader, lineStarts, errors, source);
                    if (!seen.Add(key.Value))
                    {
                        errors.Add(new ResourceError(source, key.Line, "", $"duplicate key '{key.Value}'"));
                        continue;
                    }
                    mapping.Entries.Add(new(key, value));
                }
                return mapping;
            case JsonTokenType.StartArray:
                var sequence = new SequenceNode(line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    sequence.Items.Add(ReadValue(ref reader, lineStarts, errors, source));
                return sequence;
            case JsonTokenType.String:
                return new ScalarNode(reader.GetString()!, true, line);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), false, line);
            case JsonTokenType.True:
                return new ScalarNode("true", false, line);
            case JsonTokenType.False:
                return new ScalarNode("false", false, line);
            default:
                return new ScalarNode("null", false, line);
        }
    }
}
