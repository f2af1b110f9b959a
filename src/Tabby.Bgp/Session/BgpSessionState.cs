namespace Tabby.Bgp.Session;

/// <summary>The six states of RFC 4271 section 8.</summary>
public enum BgpSessionState
{
    Idle,
    Connect,
    Active,
    OpenSent,
    OpenConfirm,
    Established,
}
