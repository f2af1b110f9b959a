namespace Tabby.Api.Resources;

/// <summary>The spec of a (Global)NetworkSet: a list of CIDRs that policy selects by the set's labels.</summary>
public sealed class NetworkSetSpec
{
    public List<string>? Nets { get; set; }
}
