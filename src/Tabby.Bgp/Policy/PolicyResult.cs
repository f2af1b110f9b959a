using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Policy;

/// <summary>The outcome of a policy: accepted or not, the rewritten attributes, and which term decided (null for the default).</summary>
public readonly record struct PolicyResult(bool Accepted, PathAttributes Attributes, string? Term, NextHopAction NextHop);
