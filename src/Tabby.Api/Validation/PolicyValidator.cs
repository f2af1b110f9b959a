using System.Text.RegularExpressions;
using Tabby.Api.Resources;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks NetworkPolicy, GlobalNetworkPolicy, Tier and Profile.</summary>
internal static partial class PolicyValidator
{
    public const string DefaultTier = "default";

    /// <summary>The order and default action Calico's Tier CRD fixes for the well-known tiers.</summary>
    private static readonly Dictionary<string, (double Order, string OrderText, string Action)> s_wellKnownTiers = new(StringComparer.Ordinal)
    {
        [DefaultTier] = (1_000_000, "1000000", "Deny"),
        ["kube-admin"] = (1_000, "1000", "Pass"),
        ["kube-baseline"] = (10_000_000, "10000000", "Pass"),
    };

    public static void Validate(ValidationContext context, NetworkPolicy policy)
    {
        var spec = policy.Spec;
        if (policy.Metadata.Name is { } name && !NetworkPolicyName().IsMatch(name))
            context.Error("metadata.name", $"'{name}' is not a valid policy name: lower case letters, digits and '-', with at most one '.' (tier.name)");
        ValidateTierPrefix(context, policy.Metadata.Name, spec.Tier);
        Checks.Selector(context, "spec.selector", spec.Selector);
        Checks.Selector(context, "spec.serviceAccountSelector", spec.ServiceAccountSelector);
        ValidateCommon(context, spec.Ingress, spec.Egress, spec.Types, spec.PerformanceHints, global: false);
    }

    public static void Validate(ValidationContext context, GlobalNetworkPolicy policy)
    {
        var spec = policy.Spec;
        if (policy.Metadata.Name is { } name && !GlobalNetworkPolicyName().IsMatch(name))
            context.Error("metadata.name", $"'{name}' is not a valid policy name: lower case letters, digits and '-', with at most one '.' (tier.name)");
        ValidateTierPrefix(context, policy.Metadata.Name, spec.Tier);
        Checks.Selector(context, "spec.selector", spec.Selector);
        Checks.Selector(context, "spec.serviceAccountSelector", spec.ServiceAccountSelector);
        Checks.Selector(context, "spec.namespaceSelector", spec.NamespaceSelector);
        ValidateCommon(context, spec.Ingress, spec.Egress, spec.Types, spec.PerformanceHints, global: true);

        if (spec.DoNotTrack && spec.PreDnat)
            context.Error("spec.preDNAT", "preDNAT and doNotTrack cannot both be true");
        if (spec.PreDnat && spec.Egress is { Count: > 0 })
            context.Error("spec.egress", "preDNAT policy cannot have any egress rules");
        if (spec.PreDnat && spec.Types?.Contains("Egress") == true)
            context.Error("spec.types", "preDNAT policy cannot have 'Egress' type");
        if ((spec.DoNotTrack || spec.PreDnat) && !spec.ApplyOnForward)
            context.Error("spec.applyOnForward", "applyOnForward must be true if either preDNAT or doNotTrack is true");
    }

    public static void Validate(ValidationContext context, Tier tier)
    {
        // A tier's name becomes the prefix of its policies' names, so it cannot contain dots.
        Checks.Label(context, "metadata.name", tier.Metadata.Name);
        Checks.OneOf(context, "spec.defaultAction", tier.Spec.DefaultAction, "Deny", "Pass");
        // Calico's CEL rules, with its messages.
        if (tier.Metadata.Name is { } name && s_wellKnownTiers.TryGetValue(name, out var fixedTier))
        {
            if (tier.Spec.Order != fixedTier.Order)
                context.Error("spec.order", $"{name} tier order must be {fixedTier.OrderText}");
            if (tier.Spec.DefaultAction != fixedTier.Action)
                context.Error("spec.defaultAction", $"The '{name}' tier must have default action '{fixedTier.Action}'");
        }
        Checks.Conditions(context, "status.conditions", tier.Status?.Conditions);
    }

    public static void Validate(ValidationContext context, Profile profile)
    {
        RuleValidator.ValidateRules(context, "spec.ingress", profile.Spec.Ingress, RuleDirection.Ingress, inPolicy: false);
        RuleValidator.ValidateRules(context, "spec.egress", profile.Spec.Egress, RuleDirection.Egress, inPolicy: false);
        Checks.Labels(context, "spec.labelsToApply", profile.Spec.LabelsToApply);
    }

    /// <summary>Calico names a policy in a tier other than default <c>tier.name</c>.</summary>
    private static void ValidateTierPrefix(ValidationContext context, string? name, string? tier)
    {
        Checks.Label(context, "spec.tier", tier);
        var effectiveTier = string.IsNullOrEmpty(tier) ? DefaultTier : tier;
        if (name is null || name.StartsWith("knp.default.", StringComparison.Ordinal) || name.StartsWith("ossg.default.", StringComparison.Ordinal))
            return;
        if (effectiveTier != DefaultTier && !name.StartsWith(effectiveTier + ".", StringComparison.Ordinal))
            context.Error("metadata.name", $"policy name '{name}' must start with its tier name: '{effectiveTier}.{name}'");
    }

    private static void ValidateCommon(ValidationContext context, List<Rule>? ingress, List<Rule>? egress, List<string>? types, List<string>? hints, bool global)
    {
        RuleValidator.ValidateRules(context, "spec.ingress", ingress, RuleDirection.Ingress, inPolicy: true, global);
        RuleValidator.ValidateRules(context, "spec.egress", egress, RuleDirection.Egress, inPolicy: true, global);
        if (ingress is { Count: > 1024 })
            context.Error("spec.ingress", "at most 1024 rules");
        if (egress is { Count: > 1024 })
            context.Error("spec.egress", "at most 1024 rules");

        if (types is not null)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < types.Count; i++)
            {
                Checks.OneOf(context, Item("spec.types", i), types[i], "Ingress", "Egress");
                if (types[i] is { } type && !seen.Add(type))
                    context.Error(Item("spec.types", i), $"'{type}' type specified more than once");
            }
        }

        if (hints is not null)
        {
            for (var i = 0; i < hints.Count; i++)
                Checks.OneOf(context, Item("spec.performanceHints", i), hints[i], "AssumeNeededOnEveryNode");
            Checks.Unique(context, "spec.performanceHints", hints);
        }
    }

    // Calico's policy name rules: a DNS label, optionally "tier." in front; namespaced policies also
    // allow the names Kubernetes policies are converted to.
    [GeneratedRegex(@"^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)?|((knp|ossg)\.default\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))$")]
    private static partial Regex NetworkPolicyName();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex GlobalNetworkPolicyName();
}
