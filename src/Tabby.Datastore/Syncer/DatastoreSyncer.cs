using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tabby.Datastore.Syncer;

/// <summary>Lists and watches a set of key prefixes, keeps a cache per prefix and feeds per-key updates to one consumer.</summary>
/// <remarks>
/// After any watch failure (datastore gone, history compacted) a prefix backs off, re-lists and sends
/// exactly the difference from its cache: deletes for keys that vanished, updates for keys that
/// changed, nothing for keys that did not. So the consumer never misses a key or keeps a phantom one.
/// <code>
///   prefix A: list ─▶ diff vs cache ─▶ watch(rev+1) ─┐
///   prefix B: list ─▶ diff vs cache ─▶ watch(rev+1) ─┼─▶ (one lock) ─▶ ISyncerCallbacks
///                       ▲ on failure: backoff, re-list ┘
/// </code>
/// </remarks>
public sealed partial class DatastoreSyncer : IAsyncDisposable
{
    private readonly IDatastore _store;
    private readonly ISyncerCallbacks _callbacks;
    private readonly SyncerOptions _options;
    private readonly ILogger _logger;
    private readonly PrefixCache[] _prefixes;
    private readonly Lock _deliver = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _inSync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task[] _loops = [];
    private SyncStatus _status = SyncStatus.WaitingForDatastore;

    /// <summary>Creates a syncer; nothing happens until <see cref="Start"/>.</summary>
    /// <exception cref="ArgumentException">Two prefixes overlap (a key would be delivered twice).</exception>
    public DatastoreSyncer(IDatastore store, IEnumerable<string> prefixes, ISyncerCallbacks callbacks, SyncerOptions? options = null, ILogger? logger = null)
    {
        _store = store;
        _callbacks = callbacks;
        _options = options ?? new SyncerOptions();
        _logger = logger ?? NullLogger.Instance;
        _prefixes = [.. prefixes.Distinct(StringComparer.Ordinal).Select(p => new PrefixCache(p))];
        foreach (var a in _prefixes)
        {
            foreach (var b in _prefixes)
            {
                if (!ReferenceEquals(a, b) && b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"prefixes '{a.Prefix}' and '{b.Prefix}' overlap", nameof(prefixes));
                }
            }
        }
    }

    /// <summary>The current status.</summary>
    public SyncStatus Status
    {
        get
        {
            lock (_deliver)
            {
                return _status;
            }
        }
    }

    /// <summary>Starts listing and watching every prefix.</summary>
    public void Start()
    {
        lock (_deliver)
        {
            _callbacks.OnStatusUpdated(_status);
        }

        _loops = [.. _prefixes.Select(p => Task.Run(() => RunAsync(p, _stop.Token)))];
    }

    /// <summary>Completes once every prefix has been listed and delivered for the first time.</summary>
    public Task WaitForInSyncAsync(CancellationToken cancellationToken = default) => _inSync.Task.WaitAsync(cancellationToken);

    /// <summary>A copy of the cache of one prefix (what the consumer has been told).</summary>
    public IReadOnlyDictionary<string, KeyValue> Snapshot(string prefix)
    {
        lock (_deliver)
        {
            return _prefixes.Single(p => p.Prefix == prefix).Cache.ToDictionary(StringComparer.Ordinal);
        }
    }

    /// <summary>Stops every watch and waits for the loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(PrefixCache prefix, CancellationToken cancellationToken)
    {
        var backoff = _options.MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var revision = await ResyncAsync(prefix, cancellationToken).ConfigureAwait(false);
                backoff = _options.MinBackoff;
                await foreach (var e in _store.WatchAsync(prefix.Prefix, revision + 1, cancellationToken).ConfigureAwait(false))
                {
                    Deliver(prefix, e);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (DatastoreCompactedException e)
            {
                // History we needed is gone but the store is up: re-list straight away.
                Log.Compacted(_logger, prefix.Prefix, e.Message);
                MarkResyncing(prefix);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Unavailable is the usual cause; anything else (a consumer bug, a protocol surprise) is
                // retried the same way rather than silently ending this prefix's loop.
                Log.WatchFailed(_logger, prefix.Prefix, backoff.TotalMilliseconds, e.Message);
                MarkResyncing(prefix);
                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Lists the prefix at one revision, sends the difference from the cache and returns that revision.</summary>
    private async Task<long> ResyncAsync(PrefixCache prefix, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, KeyValue>(StringComparer.Ordinal);
        long revision = 0;
        string? next = null;
        do
        {
            var page = await _store.ListAsync(
                prefix.Prefix,
                new ListOptions { Revision = revision, Limit = _options.ListPageSize, ContinueKey = next },
                cancellationToken).ConfigureAwait(false);
            revision = page.Revision;
            foreach (var kv in page.Items)
            {
                listed[kv.Key] = kv;
            }

            next = page.ContinueKey;
        }
        while (next is not null);

        lock (_deliver)
        {
            var updates = new List<SyncerUpdate>();
            foreach (var key in prefix.Cache.Keys)
            {
                if (!listed.ContainsKey(key))
                {
                    updates.Add(new SyncerUpdate(prefix.Prefix, key, null, revision));
                }
            }

            foreach (var u in updates)
            {
                prefix.Cache.Remove(u.Key);
            }

            foreach (var (key, kv) in listed)
            {
                if (!prefix.Cache.TryGetValue(key, out var old) || old.ModRevision != kv.ModRevision)
                {
                    prefix.Cache[key] = kv;
                    updates.Add(new SyncerUpdate(prefix.Prefix, key, kv.Value, kv.ModRevision));
                }
            }

            if (updates.Count > 0)
            {
                _callbacks.OnUpdates(updates);
            }

            prefix.Synced = true;
            UpdateStatus();
        }

        Log.Listed(_logger, prefix.Prefix, listed.Count, revision);
        return revision;
    }

    private void Deliver(PrefixCache prefix, WatchEvent e)
    {
        lock (_deliver)
        {
            var known = prefix.Cache.TryGetValue(e.Key, out var old);

            // Drop what the cache already reflects: a replayed event, or a delete of a key we never had.
            if (known && old!.ModRevision >= e.ModRevision)
            {
                return;
            }

            if (e.Kind == WatchEventKind.Delete)
            {
                if (!known)
                {
                    return;
                }

                prefix.Cache.Remove(e.Key);
                _callbacks.OnUpdates([new SyncerUpdate(prefix.Prefix, e.Key, null, e.ModRevision)]);
                return;
            }

            var version = known ? old!.Version + 1 : 1;
            prefix.Cache[e.Key] = new KeyValue(e.Key, e.Value ?? [], e.ModRevision, e.CreateRevision, version, null);
            _callbacks.OnUpdates([new SyncerUpdate(prefix.Prefix, e.Key, e.Value, e.ModRevision)]);
        }
    }

    private void MarkResyncing(PrefixCache prefix)
    {
        lock (_deliver)
        {
            prefix.Synced = false;
            UpdateStatus();
        }
    }

    /// <summary>Recomputes the status from the prefixes; caller holds the delivery lock.</summary>
    private void UpdateStatus()
    {
        var status = _prefixes.All(p => p.Synced) ? SyncStatus.InSync
            : _prefixes.Any(p => p.Synced) || _status != SyncStatus.WaitingForDatastore ? SyncStatus.ResyncInProgress
            : SyncStatus.WaitingForDatastore;
        if (status == _status)
        {
            return;
        }

        _status = status;
        _callbacks.OnStatusUpdated(status);
        if (status == SyncStatus.InSync)
        {
            _inSync.TrySetResult();
        }
    }
}
