using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>Everything read from the <c>-f</c> arguments: the good resources and every error, already formatted for people.</summary>
public sealed record ManifestSet(IReadOnlyList<ResourceWrite> Resources, IReadOnlyList<string> Errors, int Files);
