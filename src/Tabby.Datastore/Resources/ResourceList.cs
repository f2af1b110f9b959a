namespace Tabby.Datastore.Resources;

/// <summary>Every object of a kind at one revision; watch from <see cref="Revision"/> + 1 to follow it.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, long Revision);
