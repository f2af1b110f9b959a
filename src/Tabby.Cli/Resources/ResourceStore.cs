using System.Globalization;
using System.Text;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Serialization;
using Tabby.Datastore;

namespace Tabby.Cli.Resources;

/// <summary>v3 resources over an <see cref="IDatastore"/>: values are canonical JSON, resourceVersion is the key's mod revision.</summary>
public sealed class ResourceStore(IDatastore datastore)
{
    public IDatastore Datastore { get; } = datastore ?? throw new ArgumentNullException(nameof(datastore));

    /// <summary>The stored form: canonical JSON without resourceVersion, which the datastore keeps as the mod revision instead.</summary>
    public static byte[] Encode(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var version = resource.Metadata.ResourceVersion;
        resource.Metadata.ResourceVersion = null;
        try
        {
            return Encoding.UTF8.GetBytes(ResourceWriter.ToCanonicalJson(resource));
        }
        finally
        {
            resource.Metadata.ResourceVersion = version;
        }
    }

    /// <summary>The resource a key holds, with resourceVersion set from its mod revision.</summary>
    public static IResource Decode(KeyValue stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var resource = ResourceReader.FromJson(Encoding.UTF8.GetString(stored.Value), stored.Key);
        resource.Metadata.ResourceVersion = FormatVersion(stored.ModRevision);
        return resource;
    }

    public static string FormatVersion(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public Task<KeyValue?> GetRawAsync(ResourceKey key, CancellationToken cancellationToken) =>
        Datastore.GetAsync(key.Path, cancellationToken);

    /// <summary>Every object of a kind, in key order; <paramref name="namespace"/> null means every namespace.</summary>
    public async Task<IReadOnlyList<IResource>> ListAsync(KindInfo kind, string? @namespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var page = await Datastore.ListAllAsync(ResourceKey.PrefixFor(kind, @namespace), cancellationToken: cancellationToken).ConfigureAwait(false);
        // A key under the prefix that is not this kind's layout (written by other tools) is not ours to show.
        return [.. page.Items.Where(kv => ResourceKey.TryParse(kv.Key, out var key) && key.Value.Kind == kind).Select(Decode)];
    }
}
