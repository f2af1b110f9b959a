namespace Tabby.Datastore.Resources;

/// <summary>What a write command does with each resource of its manifests.</summary>
public enum WriteMode
{
    /// <summary>Create it, or update it if it exists.</summary>
    Apply,

    /// <summary>Create it; it must not exist.</summary>
    Create,

    /// <summary>Update it; it must exist, and at the given resourceVersion if one is set.</summary>
    Replace,
}
