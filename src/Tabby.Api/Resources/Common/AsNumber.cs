using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>A BGP AS number: plain (<c>64512</c>) or 4-byte dotted (<c>"65000.1"</c>), stored and written as a number.</summary>
public readonly record struct AsNumber(uint Value) : IApiScalar<AsNumber>
{
    public static bool TryParse(ScalarNode node, out AsNumber value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        return TryParse(node.Value, out value, out error);
    }

    public static bool TryParse(string text, out AsNumber value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            if (ushort.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var high)
                && ushort.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var low))
            {
                value = new AsNumber(((uint)high << 16) | low);
                error = null;
                return true;
            }
            error = $"'{text}' is not an AS number (expected 0-4294967295 or X.Y with X and Y in 0-65535)";
            return false;
        }
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain))
        {
            value = new AsNumber(plain);
            error = null;
            return true;
        }
        error = $"'{text}' is not an AS number (expected 0-4294967295 or X.Y with X and Y in 0-65535)";
        return false;
    }

    public ScalarNode ToNode() => ScalarNode.Number(Value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
