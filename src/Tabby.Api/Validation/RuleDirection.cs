namespace Tabby.Api.Validation;

/// <summary>Whether a rule is an ingress or an egress rule, which decides where services may appear.</summary>
internal enum RuleDirection
{
    Ingress,
    Egress,
}
