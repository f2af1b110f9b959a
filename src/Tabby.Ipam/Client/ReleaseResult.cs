namespace Tabby.Ipam.Client;

/// <summary>The outcome per address of a release.</summary>
/// <param name="Address">The address as given.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Reason">Why it was skipped, for people.</param>
public sealed record ReleaseResult(string Address, ReleaseOutcome Outcome, string? Reason = null);
