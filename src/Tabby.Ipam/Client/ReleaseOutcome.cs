namespace Tabby.Ipam.Client;

/// <summary>What became of one address asked to be released.</summary>
public enum ReleaseOutcome
{
    /// <summary>It was allocated and is now released.</summary>
    Released,

    /// <summary>It was not allocated (or already released): nothing to do.</summary>
    NotAllocated,

    /// <summary>It is allocated, but to another handle or a later allocation (the sequence number differs): left alone.</summary>
    Skipped,
}
