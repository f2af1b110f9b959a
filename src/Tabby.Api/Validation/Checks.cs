using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Selectors;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>The field checks Calico's validator applies, each reporting into a <see cref="ValidationContext"/>.</summary>
internal static partial class Checks
{
    /// <summary>A DNS-1123 subdomain: what Calico requires of most resource names.</summary>
    public static void Subdomain(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        if (value.Length > 253)
            context.Error(path, $"'{Shorten(value)}' is longer than 253 characters");
        else if (!SubdomainPattern().IsMatch(value))
            context.Error(path, $"'{value}' is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit");
    }

    /// <summary>A DNS-1123 label: namespaces and tier names (no dots).</summary>
    public static void Label(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        if (value.Length > 63)
            context.Error(path, $"'{Shorten(value)}' is longer than 63 characters");
        else if (!LabelPattern().IsMatch(value))
            context.Error(path, $"'{value}' is not a valid name: use lower case letters, digits and '-', starting and ending with a letter or digit");
    }

    public static void Required(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(value))
            context.Error(path, "required");
    }

    /// <summary>Kubernetes label and annotation keys: an optional DNS-subdomain prefix and '/', then a name of up to 63 characters.</summary>
    public static void LabelKey(ValidationContext context, string path, string key)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !SubdomainPattern().IsMatch(prefix))
            {
                context.Error(path, $"'{key}' is not a valid key: the prefix '{prefix}' must be a DNS subdomain");
                return;
            }
        }
        if (name.Length == 0 || name.Length > 63 || !LabelValuePattern().IsMatch(name))
            context.Error(path, $"'{key}' is not a valid key: the name must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }

    /// <summary>Annotation keys are qualified names (checked lower-cased, as Calico does); all of them together at most 256 KiB.</summary>
    public static void Annotations(ValidationContext context, string path, Dictionary<string, string>? annotations)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (annotations is null)
            return;
        long total = 0;
        foreach (var (key, value) in annotations)
        {
            LabelKey(context, Child(path, key), key.ToLowerInvariant());
            total += key.Length + (value?.Length ?? 0);
        }
        if (total > 256 * 1024)
            context.Error(path, string.Create(CultureInfo.InvariantCulture, $"total size of annotations is too large by {total - (256 * 1024)} bytes"));
    }

    public static void LabelValue(ValidationContext context, string path, string value)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 63 || (value.Length > 0 && !LabelValuePattern().IsMatch(value)))
            context.Error(path, $"'{value}' is not a valid label value: up to 63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
    }

    public static void Labels(ValidationContext context, string path, Dictionary<string, string>? labels)
    {
        if (labels is null)
            return;
        foreach (var (key, value) in labels)
        {
            LabelKey(context, Child(path, key), key);
            LabelValue(context, Child(path, key), value);
        }
    }

    /// <summary>Selector syntax, checked by the selector parser; <c>global()</c> only where Calico allows it.</summary>
    public static void Selector(ValidationContext context, string path, string? value, bool allowGlobal = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        try
        {
            Selectors.Selector.Parse(value);
        }
        catch (SelectorSyntaxException e)
        {
            // The parser's own message already quotes the selector; take its parts so the text is said once.
            context.Error(path, $"invalid selector '{value}': {e.Reason.TrimEnd('.')} at position {e.Position}");
            return;
        }
        if (!allowGlobal && value.Contains("global(", StringComparison.Ordinal))
            context.Error(path, "global() can only be used in an EntityRule namespaceSelector");
    }

    /// <summary>A CIDR with no host bits set, optionally of one family.</summary>
    public static bool Cidr(ValidationContext context, string path, string? value, out IpPrefix prefix, AddressFamily? family = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        prefix = default;
        if (value is null)
            return false;
        if (!IpPrefix.TryParse(value.AsSpan(), out prefix, out var error))
        {
            context.Error(path, error.TrimEnd('.'));
            return false;
        }
        if (family is { } f && prefix.Family != f)
        {
            context.Error(path, $"'{value}' is not an {(f == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} CIDR");
            return false;
        }
        return true;
    }

    /// <summary>A network in a rule or set: a CIDR with no host bits, or a single address.</summary>
    public static void Net(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        if (!value.Contains('/', StringComparison.Ordinal))
        {
            Ip(context, path, value);
            return;
        }
        Cidr(context, path, value, out _);
    }

    public static void Nets(ValidationContext context, string path, List<string>? values)
    {
        if (values is null)
            return;
        for (var i = 0; i < values.Count; i++)
            Net(context, Item(path, i), values[i]);
    }

    public static bool Ip(ValidationContext context, string path, string? value, AddressFamily? family = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return false;
        if (!TryParseIp(value, out var address))
        {
            context.Error(path, $"'{value}' is not an IP address");
            return false;
        }
        if (family is { } f && address.AddressFamily != f)
        {
            context.Error(path, $"'{value}' is not an {(f == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address");
            return false;
        }
        return true;
    }

    /// <summary>An address with its network length, host bits allowed (a node's <c>192.168.0.11/24</c>).</summary>
    public static void IpWithPrefix(ValidationContext context, string path, string? value, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var ipText = slash >= 0 ? value[..slash] : value;
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        if (!TryParseIp(ipText, out var address) || address.AddressFamily != family
            || (slash >= 0 && (!int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > max)))
        {
            context.Error(path, $"'{value}' is not an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address with an optional /prefix length");
        }
    }

    public static bool TryParseIp(string text, out IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(text);
        // IPAddress.TryParse accepts "1" and "1.2" (inet_aton forms) and scope ids; Calico's parser does not.
        if (text.Contains('%', StringComparison.Ordinal) || (!text.Contains(':', StringComparison.Ordinal) && text.Count(c => c == '.') != 3))
        {
            address = IPAddress.None;
            return false;
        }
        return IPAddress.TryParse(text, out address!);
    }

    public static void OneOf(ValidationContext context, string path, string? value, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowed);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            context.Error(path, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>An enum of a CRD schema, refused with the Kubernetes API server's wording ("supported values").</summary>
    public static void Enum(ValidationContext context, string path, string? value, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowed);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            context.Error(path, $"Unsupported value: \"{value}\": supported values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}");
    }

    /// <summary>Calico's "cidr" check: a CIDR whose host bits may be set, or a bare address.</summary>
    public static void LooseCidr(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        var host = value.Split('/')[0];
        var family = host.Contains(':', StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        IpWithPrefix(context, path, value, family);
    }

    /// <summary>Case-insensitive enum, as Felix's pattern-validated settings are.</summary>
    public static void OneOfIgnoreCase(ValidationContext context, string path, string? value, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowed);
        if (value is not null && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            context.Error(path, $"'{value}' is not one of {string.Join(", ", allowed)}");
    }

    public static void Range(ValidationContext context, string path, long? value, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is { } v && (v < min || v > max))
            context.Error(path, string.Create(CultureInfo.InvariantCulture, $"{v} is out of range {min}-{max}"));
    }

    /// <summary>A Go duration (<c>90s</c>, <c>1m30s</c>, <c>250ms</c>, <c>0</c>), as metav1.Duration parses it.</summary>
    public static void Duration(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is not null && !DurationPattern().IsMatch(value))
            context.Error(path, $"'{value}' is not a duration (e.g. 90s, 1m30s, 250ms)");
    }

    /// <summary>A Kubernetes/IANA port name: 1-15 lower-case letters, digits and single hyphens, with at least one letter.</summary>
    public static void PortName(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is null)
            return;
        if (value.Length is 0 or > 15 || !PortNamePattern().IsMatch(value) || value.Contains("--", StringComparison.Ordinal) || !value.Any(char.IsAsciiLetter))
            context.Error(path, $"'{value}' is not a valid port name: 1-15 lower case letters, digits and '-', with at least one letter");
    }

    /// <summary>A Linux interface name (at most 15 characters), as Calico's interface validator allows.</summary>
    public static void InterfaceName(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is not null && !InterfacePattern().IsMatch(value))
            context.Error(path, $"'{value}' is not a valid interface name");
    }

    public static void Mac(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is not null && !MacAddress.TryParse(value, null, out _))
            context.Error(path, $"'{value}' is not a MAC address");
    }

    public static void Rfc3339(ValidationContext context, string path, string? value)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (value is not null && !DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            context.Error(path, $"'{value}' is not an RFC 3339 time");
    }

    public static void Unique(ValidationContext context, string path, List<string>? values)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (values is null)
            return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (!seen.Add(values[i]))
                context.Error(Item(path, i), $"'{values[i]}' is listed twice");
        }
    }

    public static void Port(ValidationContext context, string path, Port? port)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (port?.Name is { } name)
            PortName(context, path, name);
    }

    /// <summary>Kubernetes status conditions as the CRD schema checks them (metav1.Condition).</summary>
    public static void Conditions(ValidationContext context, string path, List<Condition>? conditions)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (conditions is null)
            return;
        for (var i = 0; i < conditions.Count; i++)
        {
            var itemPath = Item(path, i);
            var condition = conditions[i];
            Required(context, Child(itemPath, "type"), condition.Type);
            if (condition.Type is { Length: > 0 } type && (type.Length > 316 || !ConditionTypePattern().IsMatch(type)))
                context.Error(Child(itemPath, "type"), $"'{Shorten(type)}' is not a condition type");
            Required(context, Child(itemPath, "status"), condition.Status);
            Enum(context, Child(itemPath, "status"), condition.Status is { Length: > 0 } ? condition.Status : null, "True", "False", "Unknown");
            Required(context, Child(itemPath, "lastTransitionTime"), condition.LastTransitionTime);
            Rfc3339(context, Child(itemPath, "lastTransitionTime"), condition.LastTransitionTime);
            Required(context, Child(itemPath, "reason"), condition.Reason);
            if (condition.Reason is { Length: > 0 } reason && (reason.Length > 1024 || !ConditionReasonPattern().IsMatch(reason)))
                context.Error(Child(itemPath, "reason"), $"'{Shorten(reason)}' is not a condition reason (CamelCase)");
            Range(context, Child(itemPath, "observedGeneration"), condition.ObservedGeneration, 0, long.MaxValue);
            if (condition.Message is { Length: > 32768 })
                context.Error(Child(itemPath, "message"), "may not be longer than 32768 characters");
        }
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "..." : value;

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();

    [GeneratedRegex(@"^(0|[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex PortNamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_.-]{1,15}$")]
    private static partial Regex InterfacePattern();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    private static partial Regex ConditionTypePattern();

    [GeneratedRegex(@"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    private static partial Regex ConditionReasonPattern();
}
