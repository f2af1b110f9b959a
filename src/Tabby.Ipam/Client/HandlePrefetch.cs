using Tabby.Ipam.Model;
using Tabby.Ipam.Store;

namespace Tabby.Ipam.Client;

/// <summary>A handle read started early in a request, handed to the first commit only (later commits read it afresh).</summary>
internal sealed class HandlePrefetch(Task<Stored<IpamHandle>?>? read)
{
    private Task<Stored<IpamHandle>?>? _read = read;

    /// <summary>The early read, once; null when there was none or it was used.</summary>
    public Task<Stored<IpamHandle>?>? Take() => Interlocked.Exchange(ref _read, null);
}
