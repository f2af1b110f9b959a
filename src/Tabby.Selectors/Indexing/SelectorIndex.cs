using System.Runtime.InteropServices;

namespace Tabby.Selectors.Indexing;

/// <summary>Keeps the selector × endpoint match relation up to date incrementally and reports its changes.</summary>
/// <remarks>
/// <para>
/// Every label key some selector reads is tracked in a <see cref="LabelCatalog"/>, with one object
/// per key and per (key, value) in use; each endpoint's label slot for a tracked key points at its
/// value's object. Selectors are filed by the cheapest set of label atoms one of which every match
/// must carry (key == value, or has(key); see <see cref="AnchorAnalyzer"/>), chosen with the
/// endpoint counts known when the selector is added: under the value's object, or the key's for
/// has(). Within an atom they are filed by every key they read. Selectors with no such atom go on
/// a fallback list, also filed by the keys and literals they read; selectors that read no label
/// (<c>all()</c>) are "universal": they match every endpoint and are stored nowhere.
/// </para>
/// <para>
/// A label update re-evaluates only the selectors whose result the change can move: those that
/// read a changed key in a way the change matters to (presence changed, or the old or new value is
/// one of their literals for it, or they use contains/starts with/ends with on it; see
/// <see cref="KeyUse"/>) and that either are anchored on an atom of the new labels, or on an atom
/// the change took away (the only way an anchored match is lost), or are fallback selectors. Any
/// other selector sees unchanged inputs, or could match neither before nor after. Everything is
/// reached by following references from the endpoint's slots and the changed value's object: an
/// update hashes the endpoint ID and each changed value once (plus an added key), compares
/// literals by reference, costs one evaluation per selector found, independent of how many
/// selectors exist, and allocates nothing (but for the one-off rebuild of an atom's entries after
/// its selectors changed, see <see cref="AtomBucket"/>, and the object of a value new to the
/// index). Most of an update's time is cache misses on the endpoint's and the found selectors'
/// state, so that state is laid out to be read in few, adjacent cache lines (<see cref="LabelMap"/>,
/// <see cref="AtomBucket"/>, <see cref="IndexedMatcher"/>). Adding an endpoint evaluates
/// the selectors anchored on its labels and all fallback selectors; removing one is O(labels + matches).
/// </para>
/// <para>
/// The match relation is stored once, per endpoint. Adding or changing a selector evaluates it
/// against the endpoints filed under its atoms (all endpoints for a fallback selector); its
/// current matches, needed to diff a change or report a removal, are read back from the same
/// candidates, so a selector's change or removal costs what its addition did.
/// </para>
/// <para>
/// Events go to the callbacks synchronously, and only for matches that really change:
/// re-adding an equal selector or equal labels reports nothing.
/// </para>
/// <para>
/// Profiles (Calico's parent labels) are meant to sit in front of this type: the caller keeps,
/// per endpoint, its own labels over its profiles' labels (own wins, as in Felix) and passes the
/// merged set here; a profile change fans out as label updates of the endpoints using it, which
/// costs only what those endpoints' changed keys touch.
/// </para>
/// <para>Not thread-safe; the callbacks must not call back into the index.</para>
/// </remarks>
public sealed class SelectorIndex
{
    private static readonly Dictionary<string, string> s_noLabels = [];

    private readonly Action<string, string> _onMatchStarted;
    private readonly Action<string, string> _onMatchStopped;

    private readonly Dictionary<string, SelectorEntry> _selectors = new(StringComparer.Ordinal);
    private readonly LabelCatalog _catalog = new();
    private readonly HashSet<SelectorEntry> _fallback = [];
    private readonly HashSet<SelectorEntry> _universal = [];

    private readonly EndpointSet _endpoints = new();

    // Reused per call so that a label update allocates nothing.
    private readonly List<LabelChange> _changes = [];
    private long _endpointEpoch;

    // Sink for loads made only to warm the cache (see Touch); never read.
    private int _touched;

    /// <param name="onMatchStarted">Called with (selector ID, endpoint ID) when a match begins.</param>
    /// <param name="onMatchStopped">Called with (selector ID, endpoint ID) when a match ends.</param>
    public SelectorIndex(Action<string, string> onMatchStarted, Action<string, string> onMatchStopped)
    {
        ArgumentNullException.ThrowIfNull(onMatchStarted);
        ArgumentNullException.ThrowIfNull(onMatchStopped);
        _onMatchStarted = onMatchStarted;
        _onMatchStopped = onMatchStopped;
    }

    public int SelectorCount => _selectors.Count;

    public int EndpointCount => _endpoints.Count;

    /// <summary>Whether the selector with this ID currently matches the endpoint with this ID.</summary>
    public bool IsMatch(string selectorId, string endpointId) =>
        _selectors.TryGetValue(selectorId, out var s) && _endpoints.Find(endpointId) is { } e
        && (s.Kind == AnchorKind.Universal || e.Matches.Contains(s));

    /// <summary>The IDs of the endpoints the selector matches (empty for an unknown ID); costs what adding it did.</summary>
    public IReadOnlyList<string> MatchingEndpoints(string selectorId)
    {
        if (!_selectors.TryGetValue(selectorId, out var s))
            return [];
        if (s.Kind == AnchorKind.Universal)
            return [.. EndpointIds()];
        var matches = new HashSet<EndpointEntry>();
        FindMatches(s, matches, recorded: true);
        return [.. matches.Select(e => e.Id)];
    }

    private List<string> EndpointIds()
    {
        var ids = new List<string>(_endpoints.Count);
        foreach (var e in _endpoints)
            ids.Add(e.Id);
        return ids;
    }

    /// <summary>Adds a selector, or replaces the one with this ID, reporting only the matches that change.</summary>
    public void UpdateSelector(string selectorId, Selector selector)
    {
        ArgumentNullException.ThrowIfNull(selectorId);
        ArgumentNullException.ThrowIfNull(selector);
        if (!_selectors.TryGetValue(selectorId, out var s))
        {
            s = new SelectorEntry(selectorId, selector);
            _selectors.Add(selectorId, s);
            Classify(s);
            Register(s);
            if (s.Kind == AnchorKind.Universal)
            {
                foreach (var e in _endpoints)
                    _onMatchStarted(s.Id, e.Id);
                return;
            }
            var matches = new HashSet<EndpointEntry>();
            FindMatches(s, matches, recorded: false);
            foreach (var e in matches)
            {
                e.Matches.Add(s);
                _onMatchStarted(s.Id, e.Id);
            }
            return;
        }

        // Equal canonical forms match the same endpoints.
        if (s.Selector.Equals(selector))
            return;
        var wasUniversal = s.Kind == AnchorKind.Universal;
        var oldMatches = new HashSet<EndpointEntry>();
        if (!wasUniversal)
            FindMatches(s, oldMatches, recorded: true);
        Unregister(s);
        s.Replace(selector);
        Classify(s);
        Register(s);

        if (s.Kind == AnchorKind.Universal)
        {
            if (wasUniversal)
                return;
            foreach (var e in oldMatches)
                e.Matches.Remove(s);
            foreach (var e in _endpoints)
            {
                if (!oldMatches.Contains(e))
                    _onMatchStarted(s.Id, e.Id);
            }
            return;
        }

        var newMatches = new HashSet<EndpointEntry>();
        FindMatches(s, newMatches, recorded: false);
        if (wasUniversal)
        {
            foreach (var e in _endpoints)
            {
                if (newMatches.Contains(e))
                    e.Matches.Add(s);
                else
                    _onMatchStopped(s.Id, e.Id);
            }
            return;
        }
        foreach (var e in oldMatches)
        {
            if (!newMatches.Contains(e))
            {
                e.Matches.Remove(s);
                _onMatchStopped(s.Id, e.Id);
            }
        }
        foreach (var e in newMatches)
        {
            if (!oldMatches.Contains(e))
            {
                e.Matches.Add(s);
                _onMatchStarted(s.Id, e.Id);
            }
        }
    }

    /// <summary>Removes a selector, reporting each of its matches as stopped; false if the ID is unknown.</summary>
    public bool RemoveSelector(string selectorId)
    {
        ArgumentNullException.ThrowIfNull(selectorId);
        if (!_selectors.Remove(selectorId, out var s))
            return false;
        if (s.Kind == AnchorKind.Universal)
        {
            Unregister(s);
            foreach (var e in _endpoints)
                _onMatchStopped(s.Id, e.Id);
            return true;
        }
        var matches = new HashSet<EndpointEntry>();
        FindMatches(s, matches, recorded: true);
        Unregister(s);
        foreach (var e in matches)
        {
            e.Matches.Remove(s);
            _onMatchStopped(s.Id, e.Id);
        }
        return true;
    }

    /// <summary>Adds an endpoint or replaces its labels, reporting only the matches that change.</summary>
    public void UpdateEndpoint(string endpointId, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(endpointId);
        ArgumentNullException.ThrowIfNull(labels);
        var e = _endpoints.Find(endpointId);
        if (e is null)
        {
            AddEndpoint(endpointId, labels);
            return;
        }

        // Patch the endpoint's own copy in place while diffing, noting the changes of tracked
        // keys: a steady stream of updates allocates nothing that outlives the call, which keeps
        // the collector out of gen2, and a label no selector reads costs only its comparison.
        var changes = _changes;
        changes.Clear();
        var map = e.Labels;
        var seen = 0;
        var appended = 0;
        if (labels is Dictionary<string, string> concrete)
        {
            foreach (var (key, value) in concrete)
                seen += Diff(map, key, value, ref appended);
        }
        else
        {
            foreach (var (key, value) in labels)
                seen += Diff(map, key, value, ref appended);
        }
        // Each old label still present was seen once, so only a shortfall means some went away;
        // the usual update then never hashes its keys to look for removals.
        if (map.Count - appended > seen)
            RemoveMissing(map, labels);
        if (changes.Count == 0)
            return;

        var span = CollectionsMarshal.AsSpan(changes);
        foreach (ref readonly var change in span)
        {
            change.Old?.RemoveEndpoint(e);
            change.New?.AddEndpoint(e);
        }

        // Selectors anchored on the new labels that read a changed key: may start or stop matching.
        foreach (ref readonly var change in span)
        {
            foreach (var anchorKey in change.Key.AnchorKeys)
            {
                var value = map.InfoOf(anchorKey);
                if (value is null)
                    continue;
                if (!value.IsEmpty)
                    ReconsiderSensitive(value, change, e);
                if (anchorKey.Present is { } present)
                    ReconsiderSensitive(present, change, e);
            }
        }
        foreach (ref readonly var change in span)
        {
            // Selectors anchored on an atom the change took away: former matches may have stopped.
            // Only former matches: one that did not match and can match now holds another atom,
            // and the pass over the new labels has already visited it.
            if (change.Old is { IsEmpty: false } lost)
                ReconsiderFormerMatches(lost, e);
            if (change.New is null && change.Key.Present is { } present)
                ReconsiderFormerMatches(present, e);
            ReconsiderFallback(change, e);
        }
        foreach (ref readonly var change in span)
        {
            if (change.Old is not null)
                change.Key.ReleaseIfUnused(change.Old);
        }
    }

    // Compares one incoming label with the endpoint's copy and patches it; returns 1 if the
    // endpoint already had the key.
    private int Diff(LabelMap map, string key, string value, ref int appended)
    {
        var i = map.IndexOf(key);
        if (i < 0)
        {
            appended++;
            var k = _catalog.Find(key);
            if (k is null)
            {
                map.Add(key, value, null);
                return 0;
            }
            var added = k.Intern(value);
            map.Add(k.Name, value, added);
            _changes.Add(new LabelChange(k, null, added));
            return 0;
        }
        ref readonly var slot = ref map.SlotAt(i);
        if (string.Equals(slot.Value, value, StringComparison.Ordinal))
            return 1;
        var old = slot.Info;
        if (old is null)
        {
            map.SetAt(i, slot.Key, value, null);
            return 1;
        }
        var now = old.Key.Intern(value);
        map.SetAt(i, slot.Key, value, now);
        _changes.Add(new LabelChange(old.Key, old, now));
        return 1;
    }

    private void RemoveMissing(LabelMap map, IReadOnlyDictionary<string, string> labels)
    {
        // Backwards, so the slot moved into a removed one's place has been looked at already.
        for (var i = map.Count - 1; i >= 0; i--)
        {
            var slot = map.SlotAt(i);
            if (labels.ContainsKey(slot.Key))
                continue;
            map.RemoveAt(i);
            if (slot.Info is not null)
                _changes.Add(new LabelChange(slot.Info.Key, slot.Info, null));
        }
    }

    /// <summary>Removes an endpoint, reporting each of its matches as stopped; false if the ID is unknown.</summary>
    public bool RemoveEndpoint(string endpointId)
    {
        ArgumentNullException.ThrowIfNull(endpointId);
        if (_endpoints.Find(endpointId) is not { } e)
            return false;
        _endpoints.Remove(e);
        foreach (var slot in e.Labels.Slots)
        {
            if (slot.Info is not null)
            {
                slot.Info.RemoveEndpoint(e);
                slot.Info.Key.ReleaseIfUnused(slot.Info);
            }
        }
        foreach (var s in e.Matches.ToArray())
            _onMatchStopped(s.Id, e.Id);
        e.Matches.Clear();
        foreach (var s in _universal)
            _onMatchStopped(s.Id, e.Id);
        return true;
    }

    /// <summary>Verifies the internal bookkeeping (for tests); returns a description of the first problem, or null.</summary>
    internal string? CheckInvariants()
    {
        var carriers = new Dictionary<IndexedValue, int>();
        foreach (var e in _endpoints)
        {
            foreach (var s in e.Matches.ToArray())
            {
                if (s.Kind is AnchorKind.Universal or AnchorKind.Never || !_selectors.ContainsKey(s.Id))
                    return $"{e.Id} lists {s.Id}, which is {s.Kind} or gone";
                if (!s.Selector.Matches(e.Labels))
                    return $"{e.Id} lists {s.Id}, which does not match it";
            }
            foreach (var slot in e.Labels.Slots)
            {
                var k = _catalog.Find(slot.Key);
                if (k is null)
                {
                    if (slot.Info is not null)
                        return $"{e.Id} has a value object for untracked {slot.Key}";
                    continue;
                }
                if (!ReferenceEquals(slot.Key, k.Name) || slot.Info is null || !ReferenceEquals(slot.Info, k.Find(slot.Value)))
                    return $"{e.Id}'s slot {slot.Key}={slot.Value} does not point at the catalog's objects";
                carriers[slot.Info] = carriers.GetValueOrDefault(slot.Info) + 1;
                if (k.HasSets && slot.Info.Endpoints?.Contains(e) != true)
                    return $"{e.Id} is not filed under {slot.Key}={slot.Value}";
            }
        }
        var refs = new Dictionary<IndexedValue, int>();
        foreach (var s in _selectors.Values)
        {
            foreach (var read in s.Reads)
            {
                foreach (var literal in read.Literals)
                    refs[literal] = refs.GetValueOrDefault(literal) + 1;
            }
        }
        var filed = new HashSet<SelectorEntry>();
        foreach (var k in _catalog.Keys)
        {
            var keyCount = 0;
            foreach (var v in k.Values.Values)
            {
                if (v.IsUnused)
                    return $"{v} is unused but kept";
                if (v.EndpointCount != carriers.GetValueOrDefault(v) || (k.HasSets && (v.Endpoints?.Count ?? 0) != v.EndpointCount))
                    return $"{v} counts {v.EndpointCount} endpoints";
                if (v.SelectorRefs != refs.GetValueOrDefault(v))
                    return $"{v} counts {v.SelectorRefs} selectors";
                keyCount += v.EndpointCount;
                if (!v.IsEmpty)
                {
                    if ((v.Endpoints is null || !k.HasSets) && v.EndpointCount > 0)
                        return $"selectors are anchored on {v} but its endpoints are not filed";
                    filed.UnionWith(v.All);
                }
            }
            if (keyCount != k.EndpointCount)
                return $"{k} counts {k.EndpointCount} endpoints";
            if (k.Present is not null)
            {
                if (k.Present.IsEmpty || !k.HasSets)
                    return $"has({k}) is empty or its endpoints are not filed";
                filed.UnionWith(k.Present.All);
            }
        }
        if (filed.Count + _fallback.Count + _universal.Count != _selectors.Values.Count(s => s.Kind != AnchorKind.Never))
            return "selector index out of step";
        return null;
    }

    private void AddEndpoint(string endpointId, IReadOnlyDictionary<string, string> labels)
    {
        // One spare slot: a label added later (a role, a version) then fits without reallocating.
        var map = new LabelMap(labels.Count + 1);
        var e = new EndpointEntry(endpointId, map);
        foreach (var (key, value) in labels)
        {
            var k = _catalog.Find(key);
            if (k is null)
            {
                map.Add(key, value, null);
                continue;
            }
            var v = k.Intern(value);
            map.Add(k.Name, value, v);
            v.AddEndpoint(e);
        }
        _endpoints.Add(e);

        foreach (var slot in map.Slots)
        {
            if (slot.Info is null)
                continue;
            ReconsiderAll(slot.Info.Members, e);
            if (slot.Info.Key.Present is { } present)
                ReconsiderAll(present.Members, e);
        }
        foreach (var s in _fallback)
            Reconsider(s, e);
        foreach (var s in _universal)
            _onMatchStarted(s.Id, e.Id);
    }

    // Re-evaluates the atom's selectors that match the endpoint (its array of matches is short and
    // scanned by reference, without loading the selectors).
    private void ReconsiderFormerMatches(AtomBucket anchored, EndpointEntry e)
    {
        var members = anchored.Members;
        var touched = 0;
        foreach (ref readonly var member in members)
        {
            if (e.Matches.Contains(member.Selector))
                touched += member.Steps.Length;
        }
        _touched += touched;
        foreach (ref readonly var member in members)
        {
            if (e.Matches.Contains(member.Selector))
                Reconsider(member.Selector, member.Steps, e);
        }
    }

    private static ReadOnlySpan<SelectorHandle> MembersOf(SelectorSet? set) => set is null ? [] : set.Members;

    private void ReconsiderAll(ReadOnlySpan<SelectorHandle> selectors, EndpointEntry e)
    {
        Touch(selectors);
        foreach (ref readonly var s in selectors)
            Reconsider(s.Selector, s.Steps, e);
    }

    // Loads the selectors' steps before any is evaluated: the loads are independent, so their cache
    // misses overlap, where evaluating each as it comes takes them one after another (the passes
    // above do the same inline for the selectors they will evaluate).
    private void Touch(ReadOnlySpan<SelectorHandle> selectors)
    {
        var touched = 0;
        foreach (ref readonly var s in selectors)
            touched += s.Steps.Length;
        _touched += touched;
    }

    // Visits the selectors anchored on the atom whose result the change can move: all that read
    // the key when it appeared or went away, otherwise only those comparing it with the old or new
    // value or reading it with contains/starts with/ends with (see KeyUse).
    private void ReconsiderSensitive(AtomBucket atom, in LabelChange change, EndpointEntry e)
    {
        var entries = atom.EntriesFor(change.Key);
        var touched = 0;
        foreach (ref readonly var entry in entries)
        {
            if (entry.IsMovedBy(change))
                touched += entry.Steps.Length;
        }
        _touched += touched;
        // A selector's entries are adjacent, so one that compares the key with both the old and
        // the new value (tier in {x, y}, x to y) is evaluated once.
        SelectorEntry? last = null;
        foreach (ref readonly var entry in entries)
        {
            if (entry.IsMovedBy(change) && !ReferenceEquals(entry.Selector, last))
            {
                last = entry.Selector;
                Reconsider(entry.Selector, entry.Steps, e);
            }
        }
    }

    // The same for fallback selectors, which are filed by key and by literal instead.
    private void ReconsiderFallback(in LabelChange change, EndpointEntry e)
    {
        if (change.IsPresenceChange)
        {
            if (change.Key.FallbackReaders is { } readers)
                ReconsiderAll(readers.Members, e);
            return;
        }
        var anyValue = MembersOf(change.Key.FallbackAnyValue);
        var withOld = MembersOf(change.Old!.FallbackReaders);
        var withNew = MembersOf(change.New!.FallbackReaders);
        Touch(anyValue);
        Touch(withOld);
        Touch(withNew);
        foreach (ref readonly var s in anyValue)
            Reconsider(s.Selector, s.Steps, e);
        foreach (ref readonly var s in withOld)
            Reconsider(s.Selector, s.Steps, e);
        foreach (ref readonly var s in withNew)
            Reconsider(s.Selector, s.Steps, e);
    }

    // Evaluates and reports the difference from the endpoint's previous state. A selector reached
    // twice in one pass (through two atoms, say) is simply evaluated twice, which reports nothing
    // the second time: marking it visited would load its (cold) entry for every candidate, where
    // as it is neither evaluating nor reporting loads it (the ID is in the steps' header).
    private void Reconsider(SelectorEntry s, EndpointEntry e) => Reconsider(s, s.Steps, e);

    private void Reconsider(SelectorEntry s, MatchStep[] steps, EndpointEntry e)
    {
        if (IndexedMatcher.Matches(steps, e.Labels))
        {
            if (e.Matches.Add(s))
                _onMatchStarted(IndexedMatcher.IdOf(steps), e.Id);
        }
        else if (e.Matches.Remove(s))
            _onMatchStopped(IndexedMatcher.IdOf(steps), e.Id);
    }

    // Collects the endpoints the selector matches among its candidates: by evaluating it, or
    // (recorded) by what the index last reported, which is how a selector's current matches are
    // found without keeping a per-selector set that every label update would have to maintain.
    private void FindMatches(SelectorEntry s, HashSet<EndpointEntry> into, bool recorded)
    {
        switch (s.Kind)
        {
            case AnchorKind.Atoms:
                var epoch = ++_endpointEpoch;
                foreach (var atom in s.Anchor)
                {
                    var key = _catalog.Find(atom.Key);
                    if (key is null)
                        continue;
                    if (atom.Value is null)
                    {
                        foreach (var value in key.Values.Values)
                            Scan(s, value.Endpoints, epoch, into, recorded);
                    }
                    else
                        Scan(s, key.Find(atom.Value)?.Endpoints, epoch, into, recorded);
                }
                break;
            case AnchorKind.Fallback:
                foreach (var e in _endpoints)
                {
                    if (recorded ? e.Matches.Contains(s) : IndexedMatcher.Matches(s.Steps, e.Labels))
                        into.Add(e);
                }
                break;
            default:
                break;
        }
    }

    private static void Scan(SelectorEntry s, EndpointSet? candidates, long epoch, HashSet<EndpointEntry> into, bool recorded)
    {
        if (candidates is null)
            return;
        foreach (var e in candidates)
        {
            if (e.Epoch == epoch)
                continue;
            e.Epoch = epoch;
            if (recorded ? e.Matches.Contains(s) : IndexedMatcher.Matches(s.Steps, e.Labels))
                into.Add(e);
        }
    }

    private void Classify(SelectorEntry s)
    {
        s.Anchor = [];
        if (s.Uses.Length == 0)
        {
            // Reads no label, so its result is the same for every endpoint.
            s.Kind = s.Selector.MatchesUnchecked(s_noLabels) ? AnchorKind.Universal : AnchorKind.Never;
            return;
        }
        // Every key read is tracked (counted per value) before choosing atoms, so the choice can
        // weigh them by their endpoint counts; a key is tracked, by one pass over the endpoints,
        // the first time a selector reads it.
        foreach (var use in s.Uses)
            Track(use.Key);
        var atoms = AnchorAnalyzer.Analyze(s.Selector.Root, EstimateCost);
        if (atoms is null)
            s.Kind = AnchorKind.Fallback;
        else if (atoms.Length == 0)
            s.Kind = AnchorKind.Never;
        else
        {
            s.Kind = AnchorKind.Atoms;
            s.Anchor = atoms;
        }
    }

    // Endpoints an atom would make a candidate; has(k) also costs more when there are none yet,
    // because a key alone is usually less selective than one of its values.
    private long EstimateCost(LabelAtom atom)
    {
        long count = 0;
        if (_catalog.Find(atom.Key) is { } key)
            count = atom.Value is null ? key.EndpointCount : key.Find(atom.Value)?.EndpointCount ?? 0;
        return (count * 16) + (atom.Value is null ? 8 : 1);
    }

    private void Register(SelectorEntry s)
    {
        switch (s.Kind)
        {
            case AnchorKind.Atoms:
                s.Reads = _catalog.Acquire(s.Uses);
                s.Steps = IndexedMatcher.Compile(s.Selector.Root, _catalog, s.Id);
                CountAnchorKeys(s, +1);
                foreach (var atom in s.Anchor)
                {
                    var key = _catalog.Find(atom.Key)!;
                    FileEndpointsUnder(key);
                    if (atom.Value is null)
                        (key.Present ??= new AtomBucket()).Add(s);
                    else
                        key.Find(atom.Value)!.Add(s);
                }
                break;
            case AnchorKind.Fallback:
                s.Reads = _catalog.Acquire(s.Uses);
                s.Steps = IndexedMatcher.Compile(s.Selector.Root, _catalog, s.Id);
                _fallback.Add(s);
                foreach (var read in s.Reads)
                {
                    (read.Key.FallbackReaders ??= new SelectorSet()).Add(s);
                    if (read.AnyValue)
                        (read.Key.FallbackAnyValue ??= new SelectorSet()).Add(s);
                    foreach (var literal in read.Literals)
                        (literal.FallbackReaders ??= new SelectorSet()).Add(s);
                }
                break;
            case AnchorKind.Universal:
                _universal.Add(s);
                break;
            default:
                break;
        }
    }

    private void Unregister(SelectorEntry s)
    {
        switch (s.Kind)
        {
            case AnchorKind.Atoms:
                CountAnchorKeys(s, -1);
                foreach (var atom in s.Anchor)
                {
                    var key = _catalog.Find(atom.Key)!;
                    if (atom.Value is null)
                    {
                        key.Present?.Remove(s);
                        if (key.Present is { IsEmpty: true })
                            key.Present = null;
                    }
                    else
                        key.Find(atom.Value)?.Remove(s);
                }
                break;
            case AnchorKind.Fallback:
                _fallback.Remove(s);
                foreach (var read in s.Reads)
                {
                    read.Key.FallbackReaders = Without(read.Key.FallbackReaders, s);
                    read.Key.FallbackAnyValue = Without(read.Key.FallbackAnyValue, s);
                    foreach (var literal in read.Literals)
                        literal.FallbackReaders = Without(literal.FallbackReaders, s);
                }
                break;
            case AnchorKind.Universal:
                _universal.Remove(s);
                break;
            default:
                break;
        }
        LabelCatalog.Release(s.Reads);
        s.Reads = [];
        s.Steps = [];
    }

    // Null once empty, so label updates skip the set without loading it.
    private static SelectorSet? Without(SelectorSet? set, SelectorEntry s)
    {
        if (set is null)
            return null;
        set.Remove(s);
        return set.IsEmpty ? null : set;
    }

    private static void CountAnchorKeys(SelectorEntry s, int delta)
    {
        var anchorKeys = new HashSet<IndexedKey>();
        foreach (var atom in s.Anchor)
        {
            foreach (var read in s.Reads)
            {
                if (string.Equals(read.Key.Name, atom.Key, StringComparison.Ordinal))
                    anchorKeys.Add(read.Key);
            }
        }
        foreach (var anchorKey in anchorKeys)
        {
            foreach (var read in s.Reads)
                read.Key.CountAnchorKey(anchorKey, delta);
        }
    }

    // A new key's existing labels get pointed at its value objects and counted.
    private void Track(string name)
    {
        var key = _catalog.Track(name, out var added);
        if (!added)
            return;
        foreach (var e in _endpoints)
        {
            var i = e.Labels.IndexOf(key.Name);
            if (i < 0)
                continue;
            var value = key.Intern(e.Labels.SlotAt(i).Value);
            e.Labels.SetAt(i, key.Name, e.Labels.SlotAt(i).Value, value);
            value.AddEndpoint(e);
        }
    }

    // Switches the key's values from counts to sets, which anchored selectors need to find their
    // candidates (see IndexedKey.HasSets); kept from then on.
    private void FileEndpointsUnder(IndexedKey key)
    {
        if (key.HasSets)
            return;
        key.HasSets = true;
        foreach (var e in _endpoints)
        {
            if (e.Labels.InfoOf(key) is { } value)
                (value.Endpoints ??= new EndpointSet()).Add(e);
        }
    }
}
