using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>Calico's numorstring.DSCP: a code point number (<c>46</c>) or a name (<c>EF</c>, <c>AF11</c>), written back as given.</summary>
public sealed record Dscp : IApiScalar<Dscp>
{
    /// <summary>The code point names Calico knows, with their values.</summary>
    public static IReadOnlyDictionary<string, int> Names { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["DF"] = 0, ["EF"] = 46,
        ["AF11"] = 10, ["AF12"] = 12, ["AF13"] = 14, ["AF21"] = 18, ["AF22"] = 20, ["AF23"] = 22,
        ["AF31"] = 26, ["AF32"] = 28, ["AF33"] = 30, ["AF41"] = 34, ["AF42"] = 36, ["AF43"] = 38,
        ["CS0"] = 0, ["CS1"] = 8, ["CS2"] = 16, ["CS3"] = 24, ["CS4"] = 32, ["CS5"] = 40, ["CS6"] = 48,
    };

    public string? Name { get; init; }

    public int? Number { get; init; }

    public static bool TryParse(ScalarNode node, [MaybeNullWhen(false)] out Dscp value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        // A plain number is Go's uint8; a quoted one, like any other text, is a name.
        if (!node.IsString && node.Value.Length > 0 && (char.IsAsciiDigit(node.Value[0]) || node.Value[0] == '-'))
        {
            // Calico's DSCP.Validate: a number is a 6-bit code point.
            if (byte.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 63)
            {
                value = new Dscp { Number = number };
                error = null;
                return true;
            }
            value = null;
            error = $"{node.Value} is not a DSCP value (0-63 or a name such as EF or AF11)";
            return false;
        }
        // A name must be one Calico knows (numorstring.AllDSCPValues), in any case.
        if (!Names.ContainsKey(node.Value))
        {
            value = null;
            error = $"'{node.Value}' is not a DSCP name ({string.Join(", ", Names.Keys)}) or a value 0-63";
            return false;
        }

        value = new Dscp { Name = node.Value };
        error = null;
        return true;
    }

    public ScalarNode ToNode() => Number is { } number ? ScalarNode.Number(number) : ScalarNode.String(Name ?? "");

    public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? Name ?? "";
}
