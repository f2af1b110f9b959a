namespace Tabby.Ipam.Check;

/// <summary>What became of one problem a report listed.</summary>
public enum RepairOutcome
{
    /// <summary>Repaired now.</summary>
    Repaired,

    /// <summary>Nothing left to do: someone (or an earlier repair) already fixed it.</summary>
    AlreadyRepaired,

    /// <summary>Left alone because the state moved on since the report (the detail says how); check again.</summary>
    Skipped,

    /// <summary>The repair was attempted and failed (the detail says why).</summary>
    Failed,

    /// <summary>Not something a repair can decide (addresses held twice, invalid blocks): a person has to.</summary>
    NotRepairable,
}
