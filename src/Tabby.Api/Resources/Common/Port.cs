using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>Calico's numorstring.Port: a port (<c>80</c>), a range (<c>"1000:2000"</c>) or a named port (<c>"http"</c>).</summary>
public sealed record Port : IApiScalar<Port>
{
    public ushort Min { get; init; }

    public ushort Max { get; init; }

    /// <summary>The named port, or null for a number or range.</summary>
    public string? Name { get; init; }

    public static Port Single(ushort port) => new() { Min = port, Max = port };

    public static Port Range(ushort min, ushort max) => new() { Min = min, Max = max };

    public static Port Named(string name) => new() { Name = name };

    public static bool TryParse(ScalarNode node, [MaybeNullWhen(false)] out Port value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        return TryParse(node.Value, out value, out error);
    }

    public static bool TryParse(string text, [MaybeNullWhen(false)] out Port value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!TryPort(text[..colon], out var min, out error) || !TryPort(text[(colon + 1)..], out var max, out error))
                return false;
            if (min > max)
            {
                error = $"port range {text}: the minimum is greater than the maximum";
                return false;
            }
            value = Range(min, max);
            return true;
        }
        if (text.Length > 0 && text.All(c => char.IsAsciiDigit(c) || c == '-') && !char.IsAsciiLetter(text[0]))
        {
            if (!TryPort(text, out var port, out error))
                return false;
            value = Single(port);
            return true;
        }
        if (text.Length == 0)
        {
            error = $"'{text}' is not a port, port range or port name";
            return false;
        }
        value = Named(text);
        error = null;
        return true;
    }

    private static bool TryPort(string text, out ushort port, [NotNullWhen(false)] out string? error)
    {
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            port = 0;
            error = $"'{text}' is not a port number";
            return false;
        }
        // Calico's port validator: a numeric port (or range end) is 1-65535.
        if (number is < 1 or > 65535)
        {
            port = 0;
            error = $"port {number}: port range invalid, port number must be between 1 and 65535";
            return false;
        }
        port = (ushort)number;
        error = null;
        return true;
    }

    public ScalarNode ToNode() => Name is not null
        ? ScalarNode.String(Name)
        : Min == Max ? ScalarNode.Number(Min) : ScalarNode.String(ToString());

    public override string ToString() => Name ?? (Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}:{Max}"));
}
