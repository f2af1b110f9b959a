using System.Globalization;

namespace Tabby.Api.Serialization.Nodes;

/// <summary>A scalar; <see cref="IsString"/> says whether it was quoted (or a JSON string) rather than plain.</summary>
/// <remarks>
/// The distinction matters because, as in Go's YAML-to-JSON step, a plain <c>26</c> is a number
/// and a quoted <c>"26"</c> is a string; numeric fields accept only the former.
/// </remarks>
public sealed class ScalarNode : DocNode
{
    public ScalarNode(string value, bool isString, int line = 0)
        : base(line)
    {
        Value = value;
        IsString = isString;
    }

    public string Value { get; }

    public bool IsString { get; }

    /// <summary>A plain null, ~ or empty scalar: the field is treated as absent, as Go's decoder does.</summary>
    public bool IsNull => !IsString && Value is "" or "~" or "null" or "Null" or "NULL";

    public static ScalarNode String(string value) => new(value, true);

    public static ScalarNode Number(long value) => new(value.ToString(CultureInfo.InvariantCulture), false);

    public static ScalarNode Number(ulong value) => new(value.ToString(CultureInfo.InvariantCulture), false);

    public static ScalarNode Number(double value) => new(value.ToString("R", CultureInfo.InvariantCulture), false);

    public static ScalarNode Bool(bool value) => new(value ? "true" : "false", false);

    public static ScalarNode Null() => new("null", false);
}
