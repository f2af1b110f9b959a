using Tabby.Api.Resources;

namespace Tabby.Api.Serialization;

/// <summary>The resources read from one text, and every error found in it (a resource with errors is left out).</summary>
public sealed class ReadResult(IReadOnlyList<IResource> resources, IReadOnlyList<ResourceError> errors)
{
    public IReadOnlyList<IResource> Resources { get; } = resources;

    public IReadOnlyList<ResourceError> Errors { get; } = errors;

    public bool Succeeded => Errors.Count == 0;
}
