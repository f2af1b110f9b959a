using Tabby.Datastore.Syncer;

namespace Tabby.Datastore.Tests.Conformance;

/// <summary>A syncer consumer that rebuilds the state from updates and flags impossible sequences.</summary>
public sealed class RecordingConsumer : ISyncerCallbacks
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Prefix, string Value, long Revision)> _state = new(StringComparer.Ordinal);
    private int _active;

    public List<SyncStatus> Statuses { get; } = [];

    /// <summary>Every update in delivery order.</summary>
    public List<SyncerUpdate> Log { get; } = [];

    public string? Error { get; private set; }

    public void OnStatusUpdated(SyncStatus status)
    {
        lock (_lock)
        {
            Statuses.Add(status);
        }
    }

    public void OnUpdates(IReadOnlyList<SyncerUpdate> updates)
    {
        if (Interlocked.Increment(ref _active) != 1)
        {
            Error = "callbacks overlapped";
        }

        lock (_lock)
        {
            foreach (var u in updates)
            {
                Log.Add(u);
                if (u.IsDelete)
                {
                    if (!_state.Remove(u.Key))
                    {
                        Error = $"phantom delete of {u.Key}";
                    }
                }
                else
                {
                    if (_state.TryGetValue(u.Key, out var old) && old.Revision >= u.Revision)
                    {
                        Error = $"out-of-order update of {u.Key}: {old.Revision} then {u.Revision}";
                    }

                    _state[u.Key] = (u.Prefix, TestUtil.S(u.Value), u.Revision);
                }
            }
        }

        Interlocked.Decrement(ref _active);
    }

    public SyncerUpdate[] LogSince(int index)
    {
        lock (_lock)
        {
            return [.. Log.Skip(index)];
        }
    }

    public int LogCount
    {
        get
        {
            lock (_lock)
            {
                return Log.Count;
            }
        }
    }

    public IEnumerable<KeyValuePair<string, string>> View(string prefix)
    {
        lock (_lock)
        {
            return [.. _state.Where(s => s.Value.Prefix == prefix).Select(s => KeyValuePair.Create(s.Key, s.Value.Value))];
        }
    }
}
