using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization;

/// <summary>Writes a <see cref="DocNode"/> tree as JSON, indented for people or compact for storage.</summary>
internal static partial class JsonTextWriter
{
    public static string Write(DocNode node, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" }))
            Write(writer, node);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A plain scalar is a number, bool or null if it reads as one (YAML's spellings included), else a string.</summary>
    /// <remarks>Typed fields only ever produce JSON literals here; opaque YAML content (managedFields) can hold anything.</remarks>
    private static void WritePlain(Utf8JsonWriter writer, string value)
    {
        switch (value)
        {
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
            case "null" or "Null" or "NULL" or "~" or "":
                writer.WriteNullValue();
                return;
        }
        if (JsonNumber().IsMatch(value))
            writer.WriteRawValue(value);
        else
            writer.WriteStringValue(value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex JsonNumber();

    private static void Write(Utf8JsonWriter writer, DocNode node)
    {
        switch (node)
        {
            case MappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    writer.WritePropertyName(key.Value);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case SequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Items)
                    Write(writer, item);
                writer.WriteEndArray();
                break;
            case ScalarNode { IsString: true } s:
                writer.WriteStringValue(s.Value);
                break;
            case ScalarNode s:
                WritePlain(writer, s.Value);
                break;
        }
    }
}
