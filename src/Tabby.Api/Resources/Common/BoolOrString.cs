using System.Diagnostics.CodeAnalysis;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>A boolean that Calico's older API stored as a string: reads <c>true</c>, <c>"true"</c> and <c>""</c> (false), writes a boolean as Calico's current CRDs do.</summary>
public readonly record struct BoolOrString(bool Value) : IApiScalar<BoolOrString>
{
    public static bool TryParse(ScalarNode node, out BoolOrString value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        // The string form came from a Go string field, so only exact "true" and "false" (or empty) mean anything.
        var text = node.Value;
        if (text == "true" || (!node.IsString && text is "True" or "TRUE"))
        {
            value = new BoolOrString(true);
            error = null;
            return true;
        }
        if (text is "false" || (node.IsString && text.Length == 0) || (!node.IsString && text is "False" or "FALSE"))
        {
            value = new BoolOrString(false);
            error = null;
            return true;
        }
        value = default;
        error = $"expected true or false, got {NodeBinder.Describe(node)}";
        return false;
    }

    public ScalarNode ToNode() => ScalarNode.Bool(Value);

    public override string ToString() => Value ? "true" : "false";
}
