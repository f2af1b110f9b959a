using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The base of every <c>projectcalico.org/v3</c> resource type.</summary>
public abstract class Resource : IResource
{
    /// <summary>The only apiVersion Tabby reads and writes.</summary>
    public const string GroupVersion = "projectcalico.org/v3";

    public string ApiVersion => GroupVersion;

    public abstract string Kind { get; }

    [AlwaysEmit]
    public ObjectMeta Metadata { get; set; } = new();
}
