namespace Tabby.Bgp.Wire;

/// <summary>Human-readable names for NOTIFICATION codes and subcodes, for logs and status output.</summary>
public static class BgpErrorNames
{
    public static string CodeName(BgpErrorCode code) => code switch
    {
        BgpErrorCode.MessageHeader => "Message Header Error",
        BgpErrorCode.OpenMessage => "OPEN Message Error",
        BgpErrorCode.UpdateMessage => "UPDATE Message Error",
        BgpErrorCode.HoldTimerExpired => "Hold Timer Expired",
        BgpErrorCode.FiniteStateMachine => "Finite State Machine Error",
        BgpErrorCode.Cease => "Cease",
        BgpErrorCode.RouteRefreshMessage => "ROUTE-REFRESH Message Error",
        _ => $"Unknown error code {(byte)code}",
    };

    public static string SubcodeName(BgpErrorCode code, byte subcode) => (code, subcode) switch
    {
        (BgpErrorCode.MessageHeader, 1) => "Connection Not Synchronized",
        (BgpErrorCode.MessageHeader, 2) => "Bad Message Length",
        (BgpErrorCode.MessageHeader, 3) => "Bad Message Type",
        (BgpErrorCode.OpenMessage, 1) => "Unsupported Version Number",
        (BgpErrorCode.OpenMessage, 2) => "Bad Peer AS",
        (BgpErrorCode.OpenMessage, 3) => "Bad BGP Identifier",
        (BgpErrorCode.OpenMessage, 4) => "Unsupported Optional Parameter",
        (BgpErrorCode.OpenMessage, 5) => "Authentication Failure (deprecated)",
        (BgpErrorCode.OpenMessage, 6) => "Unacceptable Hold Time",
        (BgpErrorCode.OpenMessage, 7) => "Unsupported Capability",
        (BgpErrorCode.OpenMessage, 11) => "Role Mismatch",
        (BgpErrorCode.UpdateMessage, 1) => "Malformed Attribute List",
        (BgpErrorCode.UpdateMessage, 2) => "Unrecognized Well-known Attribute",
        (BgpErrorCode.UpdateMessage, 3) => "Missing Well-known Attribute",
        (BgpErrorCode.UpdateMessage, 4) => "Attribute Flags Error",
        (BgpErrorCode.UpdateMessage, 5) => "Attribute Length Error",
        (BgpErrorCode.UpdateMessage, 6) => "Invalid ORIGIN Attribute",
        (BgpErrorCode.UpdateMessage, 7) => "AS Routing Loop (deprecated)",
        (BgpErrorCode.UpdateMessage, 8) => "Invalid NEXT_HOP Attribute",
        (BgpErrorCode.UpdateMessage, 9) => "Optional Attribute Error",
        (BgpErrorCode.UpdateMessage, 10) => "Invalid Network Field",
        (BgpErrorCode.UpdateMessage, 11) => "Malformed AS_PATH",
        (BgpErrorCode.FiniteStateMachine, 1) => "Receive Unexpected Message in OpenSent State",
        (BgpErrorCode.FiniteStateMachine, 2) => "Receive Unexpected Message in OpenConfirm State",
        (BgpErrorCode.FiniteStateMachine, 3) => "Receive Unexpected Message in Established State",
        (BgpErrorCode.Cease, 1) => "Maximum Number of Prefixes Reached",
        (BgpErrorCode.Cease, 2) => "Administrative Shutdown",
        (BgpErrorCode.Cease, 3) => "Peer De-configured",
        (BgpErrorCode.Cease, 4) => "Administrative Reset",
        (BgpErrorCode.Cease, 5) => "Connection Rejected",
        (BgpErrorCode.Cease, 6) => "Other Configuration Change",
        (BgpErrorCode.Cease, 7) => "Connection Collision Resolution",
        (BgpErrorCode.Cease, 8) => "Out of Resources",
        (BgpErrorCode.Cease, 9) => "Hard Reset",
        (BgpErrorCode.Cease, 10) => "BFD Down",
        (BgpErrorCode.RouteRefreshMessage, 1) => "Invalid Message Length",
        (_, 0) => "Unspecific",
        _ => $"Unknown subcode {subcode}",
    };

    /// <summary>"code/subcode Name: Subname", the form logs and tests use.</summary>
    public static string Describe(BgpErrorCode code, byte subcode) =>
        $"{(byte)code}/{subcode} {CodeName(code)}: {SubcodeName(code, subcode)}";
}
