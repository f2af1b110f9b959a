using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Node.Startup;

/// <summary>Creates or updates this host's Node resource with its addresses, as calico/node does at start-up.</summary>
public static class NodeRegistrar
{
    /// <summary>Registers the node; returns the resource as stored.</summary>
    /// <exception cref="InvalidOperationException">Another node already claims one of these addresses.</exception>
    public static async Task<Api.Resources.Node> RegisterAsync(
        ResourceClient resources, string nodeName, DetectedAddress? ipv4, DetectedAddress? ipv6, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        var others = (await resources.ListAsync<Api.Resources.Node>(cancellationToken: cancellationToken).ConfigureAwait(false)).Items;
        foreach (var other in others.Where(n => n.Metadata.Name != nodeName))
        {
            var theirs = other.Spec.Bgp;
            if (ipv4 is not null && SameAddress(theirs?.Ipv4Address, ipv4))
                throw new InvalidOperationException($"the address {ipv4} is already in use by node {other.Metadata.Name}");
            if (ipv6 is not null && SameAddress(theirs?.Ipv6Address, ipv6))
                throw new InvalidOperationException($"the address {ipv6} is already in use by node {other.Metadata.Name}");
        }

        for (var attempt = 0; ; attempt++)
        {
            var node = await resources.GetAsync<Api.Resources.Node>(nodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (node is null)
                {
                    node = new Api.Resources.Node { Metadata = { Name = nodeName, Labels = new() { ["kubernetes.io/hostname"] = nodeName } } };
                    node.Spec.Bgp = new NodeBgpSpec { Ipv4Address = ipv4?.ToString(), Ipv6Address = ipv6?.ToString() };
                    return (Api.Resources.Node)await resources.CreateAsync(node, cancellationToken).ConfigureAwait(false);
                }

                var bgp = node.Spec.Bgp ??= new NodeBgpSpec();
                if (bgp.Ipv4Address == ipv4?.ToString() && bgp.Ipv6Address == ipv6?.ToString())
                    return node;
                // Only the addresses are the agent's; AS number, reflector cluster ID and labels are the user's.
                bgp.Ipv4Address = ipv4?.ToString();
                bgp.Ipv6Address = ipv6?.ToString();
                return (Api.Resources.Node)await resources.UpdateAsync(node, cancellationToken).ConfigureAwait(false);
            }
            catch (DatastoreConflictException) when (attempt < 10)
            {
                // Someone else wrote the node meanwhile (another agent starting, a user): read it again.
            }
        }
    }

    private static bool SameAddress(string? stored, DetectedAddress address)
    {
        if (string.IsNullOrEmpty(stored))
            return false;
        var slash = stored.IndexOf('/', StringComparison.Ordinal);
        return System.Net.IPAddress.TryParse(slash < 0 ? stored : stored[..slash], out var ip) && ip.Equals(address.Address);
    }
}
