namespace Tabby.Linux.Netlink.Routes;

/// <summary>rtm_protocol values: who installed a route. Agents sweep only routes carrying their own number.</summary>
public static class RouteProtocol
{
    public const byte Unspecified = 0;
    public const byte Redirect = 1;
    public const byte Kernel = 2;
    public const byte Boot = 3;
    public const byte Static = 4;
    public const byte Bird = 12;
    public const byte Bgp = 186;

    /// <summary>Tabby's own number, unassigned in iproute2's table; `./run` registers it as "tabby" in /etc/iproute2/rt_protos.d.</summary>
    public const byte Tabby = 76;
}
