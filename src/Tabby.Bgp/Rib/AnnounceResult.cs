namespace Tabby.Bgp.Rib;

/// <summary>What an announcement did to the announcing peer's path for the prefix.</summary>
public enum AnnounceResult
{
    /// <summary>The same attributes again: nothing changed.</summary>
    Unchanged,

    /// <summary>The peer had no path for the prefix.</summary>
    Added,

    /// <summary>The peer's path got new attributes (an implicit withdraw, RFC 4271 3.1).</summary>
    Replaced,

    /// <summary>The peer's path was stale from before its restart and is fresh again (RFC 4724 4.2).</summary>
    Refreshed,
}
