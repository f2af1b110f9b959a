namespace Tabby.Datastore.Resources;

/// <summary>One resource a plan refused, with the message for people.</summary>
public sealed record PlanFailure(string Message, PlanFailureKind Kind);
