using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>A resource with a typed <c>spec</c>.</summary>
public abstract class Resource<TSpec> : Resource
    where TSpec : class, new()
{
    [AlwaysEmit]
    public TSpec Spec { get; set; } = new();
}
