namespace Tabby.Datastore.Resources;

/// <summary>Why a planned write was refused.</summary>
public enum PlanFailureKind
{
    /// <summary>It must exist (replace, delete) and does not.</summary>
    NotFound,

    /// <summary>It must not exist (create) and does.</summary>
    AlreadyExists,

    /// <summary>The caller's resourceVersion is older than the stored one.</summary>
    Stale,
}
