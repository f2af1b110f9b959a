using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;

namespace Tabby.Node.Calc;

/// <summary>Keeps the WorkloadEndpoints of this node and turns them into <see cref="LocalEndpoint"/>s.</summary>
/// <remarks>An endpoint that moves to another node, or stops being usable (no interface, no address), is removed:
/// its interface then falls back to forwarding nothing.</remarks>
public sealed class LocalEndpointFilter(string nodeName, EventSequencer sink, BgpConfigResolver routing)
{
    private readonly HashSet<EndpointId> _local = [];

    /// <summary>Endpoints on this node the dataplane was told about.</summary>
    public int Count => _local.Count;

    /// <summary>A WorkloadEndpoint changed (null: deleted). Returns why it was ignored, when it was.</summary>
    public string? OnWorkloadEndpoint(EndpointId id, WorkloadEndpoint? endpoint)
    {
        string? problem = null;
        var local = endpoint is not null && endpoint.Spec.Node == nodeName ? ToLocal(id, endpoint, out problem) : null;
        if (local is not null)
        {
            _local.Add(id);
            sink.EndpointUpdated(local);
            routing.OnEndpoint(id, local.Addresses);
        }
        else if (_local.Remove(id))
        {
            sink.EndpointRemoved(id);
            routing.OnEndpoint(id, null);
        }

        return problem;
    }

    private static LocalEndpoint? ToLocal(EndpointId id, WorkloadEndpoint endpoint, out string? problem)
    {
        var spec = endpoint.Spec;
        if (InterfaceNames.Validate(spec.InterfaceName) is { } bad)
        {
            problem = $"WorkloadEndpoint {id}: interfaceName: {bad}";
            return null;
        }

        var addresses = new List<IpPrefix>();
        foreach (var text in spec.IpNetworks ?? [])
        {
            if (!IpPrefix.TryParse(text.AsSpan(), out var prefix, out var error))
            {
                problem = $"WorkloadEndpoint {id}: ipNetworks: {error}";
                return null;
            }

            addresses.Add(prefix);
        }

        MacAddress? mac = null;
        if (!string.IsNullOrEmpty(spec.Mac))
        {
            if (!MacAddress.TryParse(spec.Mac, null, out var parsed))
            {
                problem = $"WorkloadEndpoint {id}: mac: '{spec.Mac}' is not a MAC address";
                return null;
            }

            mac = parsed;
        }

        problem = null;
        addresses.Sort();
        return new LocalEndpoint(id, spec.InterfaceName!, addresses, mac);
    }
}
