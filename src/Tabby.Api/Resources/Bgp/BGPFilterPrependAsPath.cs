namespace Tabby.Api.Resources;

/// <summary>The AS numbers an operation puts in front of the route's AS path, in order.</summary>
public sealed class BGPFilterPrependAsPath
{
    public List<AsNumber>? Prefix { get; set; }
}
