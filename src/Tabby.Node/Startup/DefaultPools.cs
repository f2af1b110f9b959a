using Tabby.Api.Resources;
using Tabby.Api.Validation;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Node.Startup;

/// <summary>Creates Calico's default IP pools when the datastore has none, so a fresh cluster can hand out addresses.</summary>
public static class DefaultPools
{
    /// <summary>Creates the pools that are asked for, if no pool exists at all; returns the names created.</summary>
    /// <exception cref="ArgumentException">A pool CIDR or block size is invalid.</exception>
    public static async Task<IReadOnlyList<string>> EnsureAsync(
        ResourceClient resources, string? ipv4Cidr, string? ipv6Cidr, int blockSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if ((await resources.ListAsync<IPPool>(cancellationToken: cancellationToken).ConfigureAwait(false)).Items.Count > 0)
            return [];
        var created = new List<string>();
        foreach (var (name, cidr) in new[] { ("default-ipv4-ippool", ipv4Cidr), ("default-ipv6-ippool", ipv6Cidr) })
        {
            if (string.IsNullOrEmpty(cidr))
                continue;
            // No tunnel and no NAT: Tabby's default is plain routing (Calico's node defaults to IPIP and NAT).
            var pool = new IPPool { Metadata = { Name = name }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = blockSize } };
            ResourceDefaults.Apply(pool);
            var errors = ResourceValidator.Validate(pool).ToList();
            if (errors.Count > 0)
                throw new ArgumentException($"default pool {cidr}: {string.Join("; ", errors)}");
            try
            {
                await resources.CreateAsync(pool, cancellationToken).ConfigureAwait(false);
                created.Add(name);
            }
            catch (DatastoreConflictException)
            {
                // Another agent starting at the same moment made it.
            }
        }

        return created;
    }
}
