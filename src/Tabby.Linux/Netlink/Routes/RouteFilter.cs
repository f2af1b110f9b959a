using System.Net.Sockets;

namespace Tabby.Linux.Netlink.Routes;

/// <summary>What a route dump returns: the kernel filters by table and protocol itself (strict checking), so dumps of Tabby's routes stay cheap.</summary>
public sealed record RouteFilter
{
    /// <summary>Everything in the main table, both families.</summary>
    public static RouteFilter MainTable { get; } = new();

    /// <summary>Tabby's own routes in the main table: what an agent reconciles and sweeps.</summary>
    public static RouteFilter Tabby { get; } = new() { Protocol = RouteProtocol.Tabby };

    public uint? Table { get; init; } = RouteTable.Main;
    public byte? Protocol { get; init; }

    /// <summary>InterNetwork, InterNetworkV6, or Unspecified for both.</summary>
    public AddressFamily Family { get; init; } = AddressFamily.Unspecified;
}
