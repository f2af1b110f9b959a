namespace Tabby.Datastore.Resources;

/// <summary>What happened to a resource.</summary>
public enum ResourceEventKind
{
    /// <summary>Created or updated.</summary>
    Put,

    /// <summary>Deleted.</summary>
    Delete,
}
