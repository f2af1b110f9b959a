using System.Runtime.CompilerServices;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Validation;

namespace Tabby.Datastore.Resources;

/// <summary>The one typed client for v3 resources over an <see cref="IDatastore"/>, in Calico's key layout.</summary>
/// <remarks>
/// A resource's resourceVersion is its key's mod revision. Writes are compare-and-swap: an update or a delete
/// that names a resourceVersion happens only if the resource is still at it, and loses with
/// <see cref="DatastoreConflictException"/> otherwise. The CLI, IPAM, the CNI plugin and the agent all use this.
/// </remarks>
public sealed class ResourceClient(IDatastore datastore)
{
    /// <summary>The store underneath.</summary>
    public IDatastore Datastore { get; } = datastore ?? throw new ArgumentNullException(nameof(datastore));

    /// <summary>The stored key of a resource, or null.</summary>
    public Task<KeyValue?> GetRawAsync(ResourceKey key, CancellationToken cancellationToken = default) =>
        Datastore.GetAsync(key.Path, cancellationToken);

    /// <summary>One resource, or null when it does not exist.</summary>
    public async Task<IResource?> GetAsync(ResourceKey key, CancellationToken cancellationToken = default)
    {
        var stored = await GetRawAsync(key, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : ResourceCodec.Decode(stored);
    }

    /// <summary>One resource of a known type by name (and namespace, for namespaced kinds), or null.</summary>
    public async Task<T?> GetAsync<T>(string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where T : Resource
    {
        var kind = KindRegistry.For<T>();
        return (T?)await GetAsync(new ResourceKey(kind, kind.Namespaced ? @namespace ?? ResourceDefaults.DefaultNamespace : null, name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every object of a kind in key order, at one revision; <paramref name="namespace"/> null means every namespace.</summary>
    public Task<ResourceList<IResource>> ListAsync(KindInfo kind, string? @namespace = null, CancellationToken cancellationToken = default) =>
        ListAsync(kind, @namespace, 0, cancellationToken);

    /// <summary>Every object of a kind in key order as of <paramref name="revision"/> (0: the latest), so lists of several kinds can form one snapshot.</summary>
    /// <exception cref="DatastoreCompactedException">That revision was compacted away.</exception>
    public async Task<ResourceList<IResource>> ListAsync(KindInfo kind, string? @namespace, long revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var page = await Datastore.ListAllAtAsync(ResourceKey.PrefixFor(kind, @namespace), revision, cancellationToken: cancellationToken).ConfigureAwait(false);
        // A key under the prefix that is not this kind's layout (written by other tools) is not ours to show.
        var items = page.Items.Where(kv => ResourceKey.TryParse(kv.Key, out var key) && key.Value.Kind == kind).Select(ResourceCodec.Decode).ToList();
        return new ResourceList<IResource>(items, page.Revision);
    }

    /// <summary>Every object of a known type, at one revision.</summary>
    public Task<ResourceList<T>> ListAsync<T>(string? @namespace = null, CancellationToken cancellationToken = default)
        where T : Resource =>
        ListAsync<T>(@namespace, 0, cancellationToken);

    /// <summary>Every object of a known type as of <paramref name="revision"/> (0: the latest).</summary>
    public async Task<ResourceList<T>> ListAsync<T>(string? @namespace, long revision, CancellationToken cancellationToken = default)
        where T : Resource
    {
        var list = await ListAsync(KindRegistry.For<T>(), @namespace, revision, cancellationToken).ConfigureAwait(false);
        return new ResourceList<T>(list.Items.Cast<T>().ToList(), list.Revision);
    }

    /// <summary>Changes to a kind from <paramref name="fromRevision"/> on (list first, then watch from its revision + 1).</summary>
    /// <exception cref="DatastoreCompactedException">That history is gone: list again.</exception>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync(
        KindInfo kind, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kind);
        await foreach (var e in Datastore.WatchAsync(ResourceKey.PrefixFor(kind), fromRevision, cancellationToken).ConfigureAwait(false))
        {
            if (!ResourceKey.TryParse(e.Key, out var parsed) || parsed.Value.Kind != kind)
                continue;
            var key = parsed.Value;
            var bytes = e.Kind == WatchEventKind.Put ? e.Value : e.PrevValue;
            var kindOfEvent = e.Kind == WatchEventKind.Put ? ResourceEventKind.Put : ResourceEventKind.Delete;
            if (bytes is null)
            {
                yield return new ResourceEvent(kindOfEvent, key, null, e.ModRevision);
                continue;
            }

            IResource? resource = null;
            string? error = null;
            try
            {
                resource = ResourceCodec.Decode(new KeyValue(e.Key, bytes, e.ModRevision, e.CreateRevision, 0, null));
            }
            catch (FormatException ex)
            {
                error = ex.Message;
            }

            yield return new ResourceEvent(kindOfEvent, key, resource, e.ModRevision, error);
        }
    }

    /// <summary>Creates a resource; the store sets uid, creationTimestamp and resourceVersion.</summary>
    /// <exception cref="DatastoreConflictException">It already exists.</exception>
    public async Task<IResource> CreateAsync(IResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = ResourceKey.For(resource);
        ResourceWritePlanner.StampNew(resource);
        var stored = await Datastore.CreateAsync(key.Path, ResourceCodec.Encode(resource), cancellationToken: cancellationToken).ConfigureAwait(false);
        resource.Metadata.ResourceVersion = ResourceCodec.FormatVersion(stored.ModRevision);
        return resource;
    }

    /// <summary>Updates a resource: at its resourceVersion when it names one, else whatever is stored now.</summary>
    /// <exception cref="DatastoreNotFoundException">It does not exist.</exception>
    /// <exception cref="DatastoreConflictException">It changed since the resourceVersion it names (or since it was read).</exception>
    public async Task<IResource> UpdateAsync(IResource resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = ResourceKey.For(resource);
        var current = await Datastore.GetAsync(key.Path, cancellationToken).ConfigureAwait(false)
            ?? throw DatastoreNotFoundException.ForKey(key.Path);
        var expected = ResourceCodec.ParseVersion(resource.Metadata.ResourceVersion) ?? current.ModRevision;
        if (expected != current.ModRevision)
            throw new DatastoreConflictException(key.Path, expected, current.ModRevision);
        ResourceWritePlanner.KeepIdentity(resource, current);
        var stored = await Datastore.UpdateAsync(key.Path, ResourceCodec.Encode(resource), expected, cancellationToken: cancellationToken).ConfigureAwait(false);
        resource.Metadata.ResourceVersion = ResourceCodec.FormatVersion(stored.ModRevision);
        return resource;
    }

    /// <summary>Deletes a resource, at <paramref name="resourceVersion"/> when given; returns its last state, or null if it did not exist.</summary>
    /// <exception cref="DatastoreConflictException">It changed since that resourceVersion.</exception>
    public async Task<IResource?> DeleteAsync(ResourceKey key, string? resourceVersion = null, CancellationToken cancellationToken = default)
    {
        if (ResourceCodec.ParseVersion(resourceVersion) is { } version)
        {
            var deleted = await Datastore.DeleteAsync(key.Path, version, cancellationToken).ConfigureAwait(false);
            return ResourceCodec.Decode(deleted);
        }

        var last = await Datastore.DeleteAsync(key.Path, cancellationToken).ConfigureAwait(false);
        return last is null ? null : ResourceCodec.Decode(last);
    }

    /// <summary>Plans an apply, create or replace of many resources (calicoctl's semantics); commit it with <see cref="CommitAsync"/>.</summary>
    public Task<ResourceWritePlan> PlanAsync(WriteMode mode, IReadOnlyList<ResourceWrite> items, bool skipExisting = false, CancellationToken cancellationToken = default) =>
        ResourceWritePlanner.PlanAsync(Datastore, mode, items, skipExisting, cancellationToken);

    /// <summary>Writes planned changes all-or-nothing, each guarded by the state it was planned against.</summary>
    /// <remarks>One transaction when they fit; past the store's limit, chunks undone together on failure (<see cref="AtomicBatch"/>).</remarks>
    public Task<AtomicBatchResult> CommitAsync(IReadOnlyList<PlannedChange> changes, AtomicBatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var writes = changes.Select(c => c.Write).OfType<GuardedWrite>().ToList();
        return Datastore.CommitBatchAsync(writes, options, cancellationToken);
    }
}
