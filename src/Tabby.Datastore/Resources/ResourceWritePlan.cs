namespace Tabby.Datastore.Resources;

/// <summary>What a write needs against what is stored: the changes, or why it cannot go ahead.</summary>
/// <param name="Changes">One entry per resource; those with nothing to write carry no op.</param>
/// <param name="Failures">Empty when the plan can be committed; otherwise nothing should be written.</param>
public sealed record ResourceWritePlan(IReadOnlyList<PlannedChange> Changes, IReadOnlyList<PlanFailure> Failures)
{
    public bool Succeeded => Failures.Count == 0;
}
