using System.Globalization;
using Tabby.Api.Resources;

namespace Tabby.Datastore.Resources;

/// <summary>Decides, for apply, create and replace, what each resource needs against what is stored (calicoctl's semantics).</summary>
public static class ResourceWritePlanner
{
    /// <summary>Plans every resource; any failure means the caller writes nothing.</summary>
    public static async Task<ResourceWritePlan> PlanAsync(
        IDatastore store, WriteMode mode, IReadOnlyList<ResourceWrite> items, bool skipExisting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(items);
        var changes = new List<PlannedChange>();
        var failures = new List<PlanFailure>();
        foreach (var item in items)
        {
            var key = item.Key;
            var prefix = $"{item.Source}: {item.Display}: ";
            var current = await store.GetAsync(key.Path, cancellationToken).ConfigureAwait(false);
            var requested = ResourceCodec.ParseVersion(item.Resource.Metadata.ResourceVersion);
            var resource = item.Resource;

            if (current is null)
            {
                if (mode == WriteMode.Replace)
                {
                    failures.Add(new($"{prefix}not found (use 'tabby create' or 'tabby apply' to create it)", PlanFailureKind.NotFound));
                    continue;
                }

                StampNew(resource);
                changes.Add(new(key, "created", null, TxnOp.Put(key.Path, ResourceCodec.Encode(resource)), item.Source));
                continue;
            }

            if (mode == WriteMode.Create)
            {
                if (skipExisting)
                    changes.Add(new(key, "exists, skipped", current, null, item.Source));
                else
                    failures.Add(new($"{prefix}already exists (use 'tabby apply' or 'tabby replace' to change it)", PlanFailureKind.AlreadyExists));
                continue;
            }

            if (requested is { } version && version != current.ModRevision)
            {
                failures.Add(new(
                    $"{prefix}resourceVersion {version} is stale: it was changed since (it is now at {current.ModRevision}); get it again and retry",
                    PlanFailureKind.Stale));
                continue;
            }

            KeepIdentity(resource, current);
            var value = ResourceCodec.Encode(resource);
            if (mode == WriteMode.Apply && value.AsSpan().SequenceEqual(current.Value))
            {
                // Nothing to write, so an exported object applied back keeps its resourceVersion.
                changes.Add(new(key, "unchanged", current, null, item.Source));
                continue;
            }

            changes.Add(new(key, mode == WriteMode.Apply ? "configured" : "replaced", current, TxnOp.Put(key.Path, value), item.Source));
        }

        return new ResourceWritePlan(changes, failures);
    }

    /// <summary>Manifest-level checks the reader cannot make: resourceVersions that this datastore could have given out, and duplicates.</summary>
    public static List<string> CheckVersions(IReadOnlyList<ResourceWrite> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var errors = new List<string>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var version = item.Resource.Metadata.ResourceVersion;
            if (!string.IsNullOrEmpty(version) && ResourceCodec.ParseVersion(version) is null)
                errors.Add($"{item.Source}: {item.Display}: metadata.resourceVersion: '{version}' is not a revision (a positive whole number from 'tabby get')");
            // One transaction cannot write a key twice, and which copy should win is the user's call.
            if (!seen.TryAdd(item.Key.Path, item.Source))
                errors.Add($"{item.Source}: {item.Display}: given more than once (also in {seen[item.Key.Path]})");
        }

        return errors;
    }

    /// <summary>Like Calico's create: the server sets uid and creationTimestamp; a resourceVersion from an export means nothing here.</summary>
    internal static void StampNew(IResource resource)
    {
        resource.Metadata.ResourceVersion = null;
        resource.Metadata.Uid = Guid.NewGuid().ToString();
        resource.Metadata.CreationTimestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>uid and creationTimestamp belong to the stored object's life, not to the manifest.</summary>
    internal static void KeepIdentity(IResource resource, KeyValue current)
    {
        var stored = ResourceCodec.Decode(current);
        resource.Metadata.Uid = stored.Metadata.Uid ?? resource.Metadata.Uid;
        resource.Metadata.CreationTimestamp = stored.Metadata.CreationTimestamp ?? resource.Metadata.CreationTimestamp;
    }
}
