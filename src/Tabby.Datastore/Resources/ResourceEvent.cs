using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Datastore.Resources;

/// <summary>One change to a resource seen by a watch.</summary>
/// <param name="Kind">Put or delete.</param>
/// <param name="Key">The resource.</param>
/// <param name="Resource">The new state for a put (with resourceVersion set); the last state for a delete when the
/// store has it; null when the stored value does not decode (see <paramref name="Error"/>).</param>
/// <param name="Revision">The revision of the change.</param>
/// <param name="Error">Why the stored value could not be read as a resource, or null.</param>
public sealed record ResourceEvent(ResourceEventKind Kind, ResourceKey Key, IResource? Resource, long Revision, string? Error = null);
