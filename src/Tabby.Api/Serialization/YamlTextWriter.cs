using System.Globalization;
using System.Text.RegularExpressions;
using Tabby.Api.Serialization.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Tabby.Api.Serialization;

/// <summary>Writes <see cref="DocNode"/> trees as block-style YAML documents separated by <c>---</c>.</summary>
internal static partial class YamlTextWriter
{
    public static string Write(IReadOnlyList<DocNode> documents)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        foreach (var document in documents)
        {
            emitter.Emit(new DocumentStart(null, null, isImplicit: documents.Count == 1 || ReferenceEquals(document, documents[0])));
            Emit(emitter, document);
            emitter.Emit(new DocumentEnd(isImplicit: true));
        }
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Emit(IEmitter emitter, DocNode node)
    {
        switch (node)
        {
            case MappingNode mapping:
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, value) in mapping.Entries)
                {
                    EmitScalar(emitter, key);
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case SequenceNode sequence:
                emitter.Emit(new SequenceStart(null, null, true, sequence.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in sequence.Items)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case ScalarNode scalar:
                EmitScalar(emitter, scalar);
                break;
        }
    }

    private static void EmitScalar(IEmitter emitter, ScalarNode scalar)
    {
        if (!scalar.IsString)
        {
            emitter.Emit(new Scalar(null, null, scalar.Value, ScalarStyle.Plain, true, false));
            return;
        }
        // A string that a YAML reader would take for a number, bool or null must be quoted to stay a string;
        // YAML 1.1 words (yes, off, ...) too, since Go's decoder still reads YAML 1.1.
        var style = LooksLikeNonString(scalar.Value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, scalar.Value, style, true, true));
    }

    private static bool LooksLikeNonString(string value) => value.Length == 0 || NonStringPattern().IsMatch(value);

    [GeneratedRegex(@"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$")]
    private static partial Regex NonStringPattern();
}
