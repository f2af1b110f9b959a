namespace Tabby.Bgp.Policy;

/// <summary>One ordered policy term: if <see cref="Match"/> holds, apply <see cref="Actions"/> (on accept) and stop with <see cref="Result"/>.</summary>
public sealed record PolicyTerm(string Name, PolicyMatch Match, PolicyAction Result, PolicyActions? Actions = null);
