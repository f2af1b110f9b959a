using System.Net;
using System.Net.Sockets;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Results;

namespace Tabby.Cni.Ipam;

/// <summary>What an ADD asks tabby-ipam for: specific addresses (Calico's ipAddrs), or a count per family from pools.</summary>
/// <remarks>
/// Specific addresses come from runtimeConfig.ips, else args.cni.ips, else CNI_ARGS IP= (the conventions
/// say CNI_ARGS yields to args); like Calico's ipAddrs, at most one per family, prefix lengths ignored.
/// </remarks>
public sealed record AddressRequest
{
    public IReadOnlyList<IPAddress> Specific { get; init; } = [];
    public int Num4 { get; init; }
    public int Num6 { get; init; }

    public static AddressRequest From(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var conf = context.Conf;
        var (texts, source, code) = conf.RequestedIps is { Count: > 0 } fromConfig
            ? (fromConfig, "runtimeConfig.ips / args.cni.ips", CniErrorCode.InvalidConfig)
            : (context.Environment.Args.Ip?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
               "CNI_ARGS IP", CniErrorCode.InvalidEnvironment);
        if (texts.Count > 0)
        {
            var addresses = new List<IPAddress>();
            foreach (var text in texts)
            {
                if (!CidrAddress.TryParse(text, lengthOptional: true, out var parsed))
                    throw new CniException(code, $"{source}: \"{text}\" is not an IP address");
                addresses.Add(parsed.Address);
            }
            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                if (addresses.Count(a => a.AddressFamily == family) > 1)
                    throw new CniException(code, $"{source}: more than one {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address asked for",
                        string.Join(", ", addresses) + " (a workload gets at most one of each family)");
            }
            return new AddressRequest { Specific = addresses };
        }

        var ipam = conf.Ipam!;
        if (!ipam.AssignIpv4 && !ipam.AssignIpv6)
            throw new CniException(CniErrorCode.InvalidConfig, "ipam.assign_ipv4 and ipam.assign_ipv6 are both false: nothing to assign");
        return new AddressRequest { Num4 = ipam.AssignIpv4 ? 1 : 0, Num6 = ipam.AssignIpv6 ? 1 : 0 };
    }
}
