using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks one policy or profile rule the way Calico's validator does (messages follow Calico's where it has one).</summary>
internal static class RuleValidator
{
    public const string PortsNeedProtocol = "rules that specify ports must set protocol to TCP or UDP or SCTP";
    public const string NumericPortsNeedProtocol = "rules with numeric port or port range must set protocol to TCP or UDP or SCTP";
    private static readonly string[] s_actions = ["Allow", "Deny", "Log", "Pass"];

    /// <summary>Checks a rule list; <paramref name="inPolicy"/> adds the checks Calico makes only for (Global)NetworkPolicy.</summary>
    public static void ValidateRules(ValidationContext context, string path, List<Rule>? rules, RuleDirection direction, bool inPolicy, bool global = false)
    {
        if (rules is null)
            return;
        for (var i = 0; i < rules.Count; i++)
        {
            var rulePath = Item(path, i);
            var rule = rules[i];
            Validate(context, rulePath, rule);
            if (!inPolicy)
                continue;
            // Services name where traffic goes to on egress and where it comes from on ingress.
            if (direction == RuleDirection.Egress && rule.Source?.Services is not null)
                context.Error(Child(Child(rulePath, "source"), "services"), "not allowed in egress rule source");
            if (direction == RuleDirection.Ingress && rule.Destination?.Services is not null)
                context.Error(Child(Child(rulePath, "destination"), "services"), "not allowed in ingress rule destination");
            if (direction == RuleDirection.Egress && rule.Http is not null)
                context.Error(Child(rulePath, "http"), "not allowed in egress rules");
            // At global scope a service name is not qualified by the policy's namespace.
            var services = direction == RuleDirection.Egress ? rule.Destination?.Services : rule.Source?.Services;
            if (global && services is not null && string.IsNullOrEmpty(services.Namespace))
                context.Error(Child(Child(rulePath, direction == RuleDirection.Egress ? "destination" : "source"), "services.namespace"), "must specify a namespace");
        }
    }

    public static void Validate(ValidationContext context, string path, Rule rule)
    {
        if (string.IsNullOrEmpty(rule.Action))
            context.Error(Child(path, "action"), "required");
        else
            Checks.OneOf(context, Child(path, "action"), rule.Action, s_actions);

        if (rule.IpVersion is { } version && version is not (4 or 6))
            context.Error(Child(path, "ipVersion"), $"{version} is not 4 or 6");

        ValidateProtocol(context, Child(path, "protocol"), rule.Protocol, rule.IpVersion);
        ValidateProtocol(context, Child(path, "notProtocol"), rule.NotProtocol, rule.IpVersion);

        ValidateIcmpFields(context, Child(path, "icmp"), rule.Icmp);
        ValidateIcmpFields(context, Child(path, "notICMP"), rule.NotIcmp);
        if (rule.Icmp is not null && rule.Protocol?.ProtocolNumber is not (1 or 58))
            context.Error(Child(path, "icmp"), "ICMP fields require protocol to be ICMP or ICMPv6");

        var source = rule.Source ?? new EntityRule();
        var destination = rule.Destination ?? new EntityRule();
        ValidateEntity(context, Child(path, "source"), source, rule);
        ValidateEntity(context, Child(path, "destination"), destination, rule);
        if (destination.Services is not null && (destination.Ports is { Count: > 0 } || destination.NotPorts is { Count: > 0 }))
            context.Error(Child(Child(path, "destination"), "services"), "ports and notPorts cannot be specified with services");
        ValidateNetFamilies(context, path, rule, source, destination);

        if (rule.Http is { } http)
            ValidateHttp(context, Child(path, "http"), http, rule);

        if (rule.Metadata?.Annotations is { } annotations)
            Checks.Annotations(context, Child(Child(path, "metadata"), "annotations"), annotations);
    }

    private static void ValidateProtocol(ValidationContext context, string path, Protocol? protocol, int? ipVersion)
    {
        if (protocol is null)
            return;
        if (protocol.Number is { } number)
        {
            Checks.Range(context, path, number, 1, 255);
        }
        else if (!Protocol.Names.Contains(protocol.Name, StringComparer.Ordinal))
        {
            context.Error(path, $"'{protocol.Name}' is not a protocol: use one of {string.Join(", ", Protocol.Names)} or a number 1-255");
            return;
        }
        if (protocol.ProtocolNumber == 1 && ipVersion is { } v4 && v4 != 4)
            context.Error(path, "protocol ICMP requires ipVersion 4");
        if (protocol.ProtocolNumber == 58 && ipVersion is { } v6 && v6 != 6)
            context.Error(path, "protocol ICMPv6 requires ipVersion 6");
    }

    private static void ValidateIcmpFields(ValidationContext context, string path, IcmpFields? icmp)
    {
        if (icmp is null)
            return;
        Checks.Range(context, Child(path, "type"), icmp.Type, 0, 254);
        Checks.Range(context, Child(path, "code"), icmp.Code, 0, 255);
        // The kernel cannot match a code without its type.
        if (icmp.Code is not null && icmp.Type is null)
            context.Error(Child(path, "code"), "ICMP code specified without an ICMP type");
    }

    private static void ValidateEntity(ValidationContext context, string path, EntityRule entity, Rule rule)
    {
        Checks.Nets(context, Child(path, "nets"), entity.Nets);
        Checks.Nets(context, Child(path, "notNets"), entity.NotNets);
        Checks.Selector(context, Child(path, "selector"), entity.Selector);
        Checks.Selector(context, Child(path, "notSelector"), entity.NotSelector);
        Checks.Selector(context, Child(path, "namespaceSelector"), entity.NamespaceSelector, allowGlobal: true);
        if (entity.NamespaceSelector is { } ns && ns.Contains("global(", StringComparison.Ordinal) && ns.Trim() != "global()")
            context.Error(Child(path, "namespaceSelector"), "global() cannot be combined with other selectors");

        ValidatePorts(context, Child(path, "ports"), entity.Ports, rule);
        ValidatePorts(context, Child(path, "notPorts"), entity.NotPorts, rule);

        if (entity.ServiceAccounts is { } accounts)
        {
            Checks.Selector(context, Child(Child(path, "serviceAccounts"), "selector"), accounts.Selector);
            if (accounts.Names is { } names)
            {
                for (var i = 0; i < names.Count; i++)
                    Checks.Subdomain(context, Item(Child(Child(path, "serviceAccounts"), "names"), i), names[i]);
            }
        }

        if (entity.Services is { } services)
        {
            var servicesPath = Child(path, "services");
            if (string.IsNullOrEmpty(services.Name))
                context.Error(servicesPath, "must specify a service name");
            Checks.Subdomain(context, Child(servicesPath, "name"), services.Name);
            Checks.Subdomain(context, Child(servicesPath, "namespace"), services.Namespace);
            if (!string.IsNullOrEmpty(entity.NamespaceSelector))
                context.Error(servicesPath, "cannot specify NamespaceSelector and Services on the same rule");
            if (!string.IsNullOrEmpty(entity.Selector) || !string.IsNullOrEmpty(entity.NotSelector))
                context.Error(servicesPath, "cannot specify Selector/NotSelector and Services on the same rule");
            if (entity.ServiceAccounts is not null)
                context.Error(servicesPath, "cannot specify ServiceAccounts and Services on the same rule");
            if (entity.Nets is { Count: > 0 } || entity.NotNets is { Count: > 0 })
                context.Error(servicesPath, "cannot specify Nets/NotNets and Services on the same rule");
        }
    }

    private static void ValidatePorts(ValidationContext context, string path, List<Port>? ports, Rule rule)
    {
        if (ports is null || ports.Count == 0)
            return;
        for (var i = 0; i < ports.Count; i++)
            Checks.Port(context, Item(path, i), ports[i]);
        // As Calico: a named port resolves to whatever protocol the endpoint declares it with, so
        // it needs no protocol on the rule; a number does. A protocol without ports allows neither.
        if (rule.Protocol is null)
        {
            if (ports.Any(p => p.Name is null))
                context.Error(path, NumericPortsNeedProtocol);
        }
        else if (!rule.Protocol.SupportsPorts)
        {
            context.Error(path, PortsNeedProtocol);
        }
    }

    /// <summary>A rule matches one IP family: its CIDRs must agree with each other and with ipVersion.</summary>
    private static void ValidateNetFamilies(ValidationContext context, string path, Rule rule, EntityRule source, EntityRule destination)
    {
        bool seenV4 = false, seenV6 = false;
        foreach (var (field, nets) in new[]
        {
            ("source.nets", source.Nets), ("source.notNets", source.NotNets),
            ("destination.nets", destination.Nets), ("destination.notNets", destination.NotNets),
        })
        {
            if (nets is null)
                continue;
            bool v4 = false, v6 = false;
            foreach (var net in nets)
            {
                if (net is null)
                    continue;
                var isV6 = net.Contains(':', StringComparison.Ordinal);
                if (!(net.Contains('/', StringComparison.Ordinal) ? IpPrefix.TryParse(net.AsSpan(), out _, out _) : Checks.TryParseIp(net, out _)))
                    continue; // already reported by the per-net check
                v4 |= !isV6;
                v6 |= isV6;
            }
            var fieldPath = Child(path, field);
            if (field.EndsWith("notNets", StringComparison.Ordinal))
            {
                foreach (var net in nets)
                {
                    if (net is not null && IsCatchAll(net))
                        context.Error(fieldPath, $"'{net}': catch-all CIDR in negation creates logical contradiction (matches no traffic)");
                }
            }
            if (rule.IpVersion is { } version && ((v4 && version != 4) || (v6 && version != 6)))
                context.Error(fieldPath, "rule IP version doesn't match CIDR version");
            if ((v4 && seenV6) || (v6 && seenV4) || (v4 && v6))
                context.Error(fieldPath, "rule contains both IPv4 and IPv6 CIDRs");
            seenV4 |= v4;
            seenV6 |= v6;
        }
    }

    // Calico compares the IPv4 text literally but any spelling of ::/0 for IPv6.
    private static bool IsCatchAll(string net) =>
        net == "0.0.0.0/0"
        || (net.Contains(':', StringComparison.Ordinal) && IpPrefix.TryParse(net.AsSpan(), out var prefix, out _) && prefix.Length == 0);

    private static void ValidateHttp(ValidationContext context, string path, HttpMatch http, Rule rule)
    {
        if (rule.Action != "Allow")
            context.Error(path, "HTTP match is only valid on Allow rules");
        if (rule.Protocol is { } protocol && protocol.ProtocolNumber != 6)
            context.Error(Child(path[..path.LastIndexOf('.')], "protocol"), "rules with HTTP match must have protocol TCP or unset");
        if (http.Methods is { } methods)
        {
            if (methods.Distinct(StringComparer.Ordinal).Count() != methods.Count)
                context.Error(Child(path, "methods"), $"Invalid methods (duplicates): [{string.Join(" ", methods)}]");
        }
        if (http.Paths is { } paths)
        {
            for (var i = 0; i < paths.Count; i++)
            {
                var itemPath = Item(Child(path, "paths"), i);
                var exact = paths[i]?.Exact;
                var prefix = paths[i]?.Prefix;
                if (!string.IsNullOrEmpty(exact) && !string.IsNullOrEmpty(prefix))
                {
                    context.Error(itemPath, "Invalid path match. Both 'exact' and 'prefix' are set");
                    continue;
                }
                var value = string.IsNullOrEmpty(exact) ? prefix : exact;
                if (string.IsNullOrEmpty(value))
                    context.Error(itemPath, "Invalid path match. Either 'exact' or 'prefix' must be set");
                else if (!value.StartsWith('/') || value.AsSpan().IndexOfAny("? #") >= 0)
                    context.Error(itemPath, $"Invalid path {value}. (must start with `/` and not contain `?` or `#`");
            }
        }
    }
}
