namespace Tabby.Ipam.Errors;

/// <summary>Why an IPAM request failed, for callers that react differently (the CNI plugin maps them to its error codes).</summary>
public enum IpamErrorCode
{
    /// <summary>The request itself is malformed (no host, a negative count, an address that does not parse).</summary>
    InvalidRequest,

    /// <summary>No enabled pool qualifies: none of the family, none selecting the node or namespace, none allowing the use, or a requested pool that does not exist.</summary>
    NoQualifiedPool,

    /// <summary>The qualifying pools have no free address this host may take.</summary>
    Exhausted,

    /// <summary>The host may not claim another block and strict affinity forbids borrowing.</summary>
    BlockLimit,

    /// <summary>A specific address is in no enabled pool.</summary>
    NotInPool,

    /// <summary>A specific address is covered by an IPReservation.</summary>
    Reserved,

    /// <summary>A specific address is already allocated.</summary>
    InUse,

    /// <summary>Strict affinity forbids taking an address from another host's block.</summary>
    StrictAffinity,

    /// <summary>Too many concurrent writers: the bounded retries ran out.</summary>
    Contention,

    /// <summary>Stored IPAM data does not parse or is inconsistent.</summary>
    Corrupt,
}
