namespace Tabby.Api.Resources;

/// <summary>The route priority (metric) an operation sets, in FelixConfiguration's route-priority units.</summary>
public sealed class BGPFilterSetPriority
{
    public int? Value { get; set; }
}
