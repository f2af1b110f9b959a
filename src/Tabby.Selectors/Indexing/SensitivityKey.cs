namespace Tabby.Selectors.Indexing;

/// <summary>Names the anchored selectors a label change can affect, within one anchor key's bucket.</summary>
/// <param name="AnchorValue">The anchor atom's value, or null for has(anchor key).</param>
/// <param name="ReadKey">The changed key they read.</param>
/// <param name="Literal">For <see cref="SensitivityMode.Literal"/>, the old or new value they compare it with.</param>
/// <param name="Mode">Which kind of change.</param>
/// <remarks>
/// One flat dictionary keyed by this replaces a chain of nested dictionaries and sets: a label
/// update then costs a couple of lookups per anchor key instead of a walk through five objects,
/// which on a cold endpoint is most of the time spent.
/// </remarks>
internal readonly record struct SensitivityKey(string? AnchorValue, string ReadKey, string? Literal, SensitivityMode Mode);
