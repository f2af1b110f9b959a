namespace Tabby.Linux.Netlink.Routes;

/// <summary>rtm_scope: how far a route reaches (RT_SCOPE_*).</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
