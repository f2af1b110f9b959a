using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Resources;

/// <summary>Calico's numorstring.Protocol: a name (<c>TCP</c>, <c>UDP</c>, ...) or an IP protocol number.</summary>
public sealed record Protocol : IApiScalar<Protocol>
{
    /// <summary>The names Calico accepts, exactly as it spells them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "UDPLite"];

    public string? Name { get; init; }

    public int? Number { get; init; }

    public static Protocol Named(string name) => new() { Name = name };

    public static Protocol FromNumber(int number) => new() { Number = number };

    /// <summary>The IP protocol number, whichever way it was written (null for an unknown name).</summary>
    public int? ProtocolNumber => Number ?? Name switch
    {
        "TCP" => 6,
        "UDP" => 17,
        "ICMP" => 1,
        "ICMPv6" => 58,
        "SCTP" => 132,
        "UDPLite" => 136,
        _ => null,
    };

    /// <summary>Whether the protocol has ports (TCP, UDP, SCTP), the condition Calico puts on rules with ports.</summary>
    public bool SupportsPorts => ProtocolNumber is 6 or 17 or 132;

    public static bool TryParse(ScalarNode node, [MaybeNullWhen(false)] out Protocol value, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (int.TryParse(node.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            value = FromNumber(number);
            error = null;
            return true;
        }
        if (!node.IsString && node.Value.Length > 0 && (char.IsAsciiDigit(node.Value[0]) || node.Value[0] == '-'))
        {
            value = null;
            error = $"{node.Value} is not a protocol";
            return false;
        }
        value = Named(node.Value);
        error = null;
        return true;
    }

    public ScalarNode ToNode() => Number is { } n ? ScalarNode.Number(n) : ScalarNode.String(Name ?? "");

    public override string ToString() => Name ?? Number?.ToString(CultureInfo.InvariantCulture) ?? "";
}
