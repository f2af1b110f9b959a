using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Datastore;
using Tabby.Datastore.Resources;

namespace Tabby.Cni.Workloads;

/// <summary>The plugin's writes of WorkloadEndpoints and profiles, each a compare-and-swap that tolerates a concurrent writer.</summary>
public static class EndpointStore
{
    private const int Attempts = 3;

    /// <summary>Creates the endpoint, or replaces one of the same name (Calico: a pod's new sandbox takes over its endpoint).</summary>
    public static async Task<WorkloadEndpoint> WriteAsync(ResourceClient resources, WorkloadEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(endpoint);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await resources.GetAsync<WorkloadEndpoint>(endpoint.Metadata.Name!, endpoint.Metadata.Namespace, cancellationToken).ConfigureAwait(false);
            try
            {
                if (existing is null)
                {
                    endpoint.Metadata.ResourceVersion = null;
                    return (WorkloadEndpoint)await resources.CreateAsync(endpoint, cancellationToken).ConfigureAwait(false);
                }
                endpoint.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
                return (WorkloadEndpoint)await resources.UpdateAsync(endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Attempts && e is DatastoreConflictException or DatastoreNotFoundException)
            {
                // Someone wrote or deleted it between our read and write: read again.
            }
        }
    }

    /// <summary>Deletes an endpoint at the version given (null: whatever is stored); false when it was already gone.</summary>
    public static async Task<bool> DeleteAsync(ResourceClient resources, string name, string @namespace, string? resourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var key = new ResourceKey(KindRegistry.For<WorkloadEndpoint>(), @namespace, name);
        try
        {
            return await resources.DeleteAsync(key, resourceVersion, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (DatastoreNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Creates the network's profile unless it exists; a concurrent creator winning is as good.</summary>
    public static async Task EnsureProfileAsync(ResourceClient resources, Profile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(profile);
        if (await resources.GetAsync<Profile>(profile.Metadata.Name!, cancellationToken: cancellationToken).ConfigureAwait(false) is not null)
            return;
        try
        {
            await resources.CreateAsync(profile, cancellationToken).ConfigureAwait(false);
        }
        catch (DatastoreConflictException)
        {
        }
    }
}
