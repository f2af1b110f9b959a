using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>One change an accepting BGP filter rule makes to a route; exactly one field is set.</summary>
public sealed class BGPFilterOperation
{
    public BGPFilterAddCommunity? AddCommunity { get; set; }

    [ApiName("prependASPath")]
    public BGPFilterPrependAsPath? PrependAsPath { get; set; }

    public BGPFilterSetPriority? SetPriority { get; set; }
}
