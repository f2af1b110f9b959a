using Tabby.Selectors.Evaluation;

namespace Tabby.Selectors.Indexing;

/// <summary>Keeps the selector × endpoint match relation up to date incrementally and reports its changes.</summary>
/// <remarks>
/// <para>
/// Selectors are filed by the cheapest set of label atoms one of which every match must carry
/// (key == value, or has(key); see <see cref="AnchorAnalyzer"/>), chosen with the endpoint
/// counts known when the selector is added, and within an atom by every key they read. Selectors
/// with no such atom go on a fallback list, also filed by the keys they read; selectors that read
/// no label (<c>all()</c>) are "universal": they match every endpoint and are stored nowhere.
/// Endpoints are filed by key == value so a selector finds its candidates the same way.
/// </para>
/// <para>
/// A label update re-evaluates only the selectors whose result the change can move: those that
/// read a changed key in a way the change matters to (presence changed, or the old or new value is
/// one of their literals for it, or they use contains/starts with/ends with on it; see
/// <see cref="KeyUse"/>) and that either are anchored on an atom of the new labels, or on an atom
/// the change took away (the only way an anchored match is lost), or are fallback selectors. Any
/// other selector sees unchanged inputs, or could match neither before nor after. With C changed
/// keys and A the anchor keys of selectors reading them, an update costs O(C·A) hash lookups plus
/// one evaluation per selector found, independent of how many selectors exist, and allocates
/// nothing (but for the one-off rebuild of an atom's entries after its selectors changed; see
/// <see cref="AtomBucket"/>). Most of an update's time is cache misses on the endpoint's and the
/// found selectors' state, so that state is laid out to be read in few, adjacent cache lines
/// (<see cref="LabelMap"/>, <see cref="AtomBucket"/>, <see cref="SelectorEntry.Evaluator"/>). Adding an endpoint evaluates the selectors anchored on its labels and all fallback
/// selectors; removing one is O(labels + matches).
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
    private readonly Dictionary<string, SelectorKeyBucket> _selectorsByKey = new(StringComparer.Ordinal);
    private readonly HashSet<SelectorEntry> _fallback = [];

    // For each label key, the anchor keys of the anchored selectors that read it (with a count of
    // such selectors): a change of `version` then looks only at the endpoint's labels that
    // something reading `version` is anchored on, not at all of them.
    private readonly Dictionary<string, Dictionary<string, int>> _anchorKeysByReadKey = new(StringComparer.Ordinal);
    private readonly HashSet<SelectorEntry> _universal = [];

    private readonly Dictionary<string, EndpointEntry> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointKeyBucket> _endpointsByKey = new(StringComparer.Ordinal);

    // Reused per call so that a label update allocates nothing.
    private readonly List<LabelChange> _changes = [];
    private long _selectorEpoch;
    private long _endpointEpoch;

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
        _selectors.TryGetValue(selectorId, out var s) && _endpoints.TryGetValue(endpointId, out var e)
        && (s.Kind == AnchorKind.Universal || e.Matches.Contains(s));

    /// <summary>The IDs of the endpoints the selector matches (empty for an unknown ID); costs what adding it did.</summary>
    public IReadOnlyList<string> MatchingEndpoints(string selectorId)
    {
        if (!_selectors.TryGetValue(selectorId, out var s))
            return [];
        if (s.Kind == AnchorKind.Universal)
            return [.. _endpoints.Keys];
        var matches = new HashSet<EndpointEntry>();
        FindMatches(s, matches, recorded: true);
        return [.. matches.Select(e => e.Id)];
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
                foreach (var e in _endpoints.Values)
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
            foreach (var e in _endpoints.Values)
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
            foreach (var e in _endpoints.Values)
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
            foreach (var e in _endpoints.Values)
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
        if (!_endpoints.TryGetValue(endpointId, out var e))
        {
            AddEndpoint(endpointId, labels);
            return;
        }

        // Diff first, then patch the endpoint's own copy in place: a steady stream of updates
        // allocates nothing that outlives the call, which keeps the collector out of gen2.
        var changes = _changes;
        changes.Clear();
        var labelsNow = e.Labels;
        if (labels is Dictionary<string, string> concrete)
        {
            foreach (var (key, value) in concrete)
                NoteChange(labelsNow, key, value, changes);
        }
        else
        {
            foreach (var (key, value) in labels)
                NoteChange(labelsNow, key, value, changes);
        }
        foreach (var (key, value) in labelsNow)
        {
            if (!labels.ContainsKey(key))
                changes.Add(new LabelChange(key, value, null));
        }
        if (changes.Count == 0)
            return;

        foreach (var change in changes)
        {
            if (change.Old is not null)
                UnfileEndpointLabel(e, change.Key, change.Old);
            if (change.New is not null)
            {
                FileEndpointLabel(e, change.Key, change.New);
                labelsNow.Set(change.Key, change.New);
            }
            else
                labelsNow.Remove(change.Key);
        }

        var epoch = ++_selectorEpoch;
        // Selectors anchored on the new labels that read a changed key: may start or stop matching.
        foreach (var change in changes)
        {
            if (!_anchorKeysByReadKey.TryGetValue(change.Key, out var anchorKeys))
                continue;
            foreach (var anchorKey in anchorKeys.Keys)
            {
                if (!labelsNow.TryGetValue(anchorKey, out var value) || !_selectorsByKey.TryGetValue(anchorKey, out var bucket))
                    continue;
                if (bucket.ByValue.TryGetValue(value, out var atom))
                    ReconsiderSensitive(atom, change, e, epoch);
                if (bucket.Present is not null)
                    ReconsiderSensitive(bucket.Present, change, e, epoch);
            }
        }
        foreach (var change in changes)
        {
            if (!_selectorsByKey.TryGetValue(change.Key, out var bucket))
                continue;
            // Selectors anchored on an atom the change took away: former matches may have stopped.
            // Only former matches: one that did not match and can match now holds another atom,
            // and the pass over the new labels has already visited it.
            if (change.Old is not null && bucket.ByValue.TryGetValue(change.Old, out var lost))
                ReconsiderFormerMatches(lost.All, e, epoch);
            if (change.New is null && bucket.Present is not null)
                ReconsiderFormerMatches(bucket.Present.All, e, epoch);
            if (bucket.Fallback is not null)
                ReconsiderSensitive(bucket.Fallback, change, e, epoch);
        }
    }

    private static void NoteChange(LabelMap labelsNow, string key, string value, List<LabelChange> changes)
    {
        if (!labelsNow.TryGetValue(key, out var old))
            changes.Add(new LabelChange(string.Intern(key), null, value));
        else if (!string.Equals(old, value, StringComparison.Ordinal))
            changes.Add(new LabelChange(key, old, value));
    }

    /// <summary>Removes an endpoint, reporting each of its matches as stopped; false if the ID is unknown.</summary>
    public bool RemoveEndpoint(string endpointId)
    {
        ArgumentNullException.ThrowIfNull(endpointId);
        if (!_endpoints.Remove(endpointId, out var e))
            return false;
        foreach (var (key, value) in e.Labels)
            UnfileEndpointLabel(e, key, value);
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
        foreach (var e in _endpoints.Values)
        {
            foreach (var s in e.Matches.ToArray())
            {
                if (s.Kind is AnchorKind.Universal or AnchorKind.Never || !_selectors.ContainsKey(s.Id))
                    return $"{e.Id} lists {s.Id}, which is {s.Kind} or gone";
                if (!s.Selector.Matches(e.Labels))
                    return $"{e.Id} lists {s.Id}, which does not match it";
            }
            foreach (var (key, value) in e.Labels)
            {
                if (_endpointsByKey.TryGetValue(key, out var bucket) && bucket.HasSets && (!bucket.ByValue.TryGetValue(value, out var set) || !set.Contains(e)))
                    return $"{e.Id} is not filed under {key}={value}";
            }
        }
        static int Filed(EndpointKeyBucket b) => b.Counts?.Values.Sum() ?? b.ByValue.Values.Sum(set => set.Count);
        var filed = _endpointsByKey.Values.Sum(Filed);
        if (filed != _endpoints.Values.Sum(e => e.Labels.Keys.Count(_endpointsByKey.ContainsKey)) || _endpointsByKey.Values.Any(b => b.Count != Filed(b) || (b.Counts is not null && b.ByValue.Count > 0)))
            return "endpoint label index out of step";
        foreach (var (key, bucket) in _selectorsByKey)
        {
            if ((bucket.ByValue.Count > 0 || bucket.Present is not null) && (!_endpointsByKey.TryGetValue(key, out var endpoints) || !endpoints.HasSets))
                return $"selectors are anchored on {key} but its endpoints are not filed";
        }
        var filedSelectors = _selectorsByKey.Values
            .SelectMany(b => b.Present is null ? b.ByValue.Values : b.ByValue.Values.Append(b.Present))
            .SelectMany(a => a.All).Distinct().Count();
        if (filedSelectors + _fallback.Count + _universal.Count != _selectors.Values.Count(s => s.Kind != AnchorKind.Never))
            return "selector index out of step";
        return null;
    }

    private void AddEndpoint(string endpointId, IReadOnlyDictionary<string, string> labels)
    {
        var copy = new LabelMap(labels.Count);
        foreach (var (key, value) in labels)
            copy.Set(string.Intern(key), value);
        var e = new EndpointEntry(endpointId, copy);
        _endpoints.Add(endpointId, e);
        foreach (var (key, value) in e.Labels)
            FileEndpointLabel(e, key, value);

        var epoch = ++_selectorEpoch;
        foreach (var (key, value) in e.Labels)
        {
            if (!_selectorsByKey.TryGetValue(key, out var bucket))
                continue;
            if (bucket.ByValue.TryGetValue(value, out var atom))
            {
                foreach (var s in atom.All)
                    Reconsider(s, e, epoch);
            }
            if (bucket.Present is not null)
            {
                foreach (var s in bucket.Present.All)
                    Reconsider(s, e, epoch);
            }
        }
        foreach (var s in _fallback)
            Reconsider(s, e, epoch);
        foreach (var s in _universal)
            _onMatchStarted(s.Id, e.Id);
    }

    private void ReconsiderFormerMatches(HashSet<SelectorEntry> anchored, EndpointEntry e, long epoch)
    {
        foreach (var s in anchored)
        {
            if (e.Matches.Contains(s))
                Reconsider(s, e, epoch);
        }
    }

    // Visits the selectors anchored on the atom whose result the change can move: all that read
    // the key when it appeared or went away, otherwise only those comparing it with the old or new
    // value or reading it with contains/starts with/ends with (see KeyUse).
    private void ReconsiderSensitive(AtomBucket atom, LabelChange change, EndpointEntry e, long epoch)
    {
        var presence = change.Old is null || change.New is null;
        foreach (ref readonly var entry in atom.EntriesFor(change.Key))
        {
            var hit = entry.Mode switch
            {
                SensitivityMode.Presence => presence,
                SensitivityMode.AnyValue => !presence,
                _ => !presence
                    && ((entry.LiteralHash == change.OldHash && string.Equals(entry.Literal, change.Old, StringComparison.Ordinal))
                        || (entry.LiteralHash == change.NewHash && string.Equals(entry.Literal, change.New, StringComparison.Ordinal))),
            };
            if (hit)
                Reconsider(entry.Selector, entry.Evaluator, e, epoch);
        }
    }

    // Visits the readers whose result the change can move: all of them when the key appeared or
    // went away, otherwise only those comparing it with the old or new value (see KeyUse).
    private void ReconsiderSensitive(ReaderSet readers, LabelChange change, EndpointEntry e, long epoch)
    {
        if (change.Old is null || change.New is null)
        {
            foreach (var s in readers.All)
                Reconsider(s, e, epoch);
            return;
        }
        if (readers.AnyValue is not null)
        {
            foreach (var s in readers.AnyValue)
                Reconsider(s, e, epoch);
        }
        if (readers.ByLiteral.TryGetValue(change.Old, out var withOld))
        {
            foreach (var s in withOld)
                Reconsider(s, e, epoch);
        }
        if (readers.ByLiteral.TryGetValue(change.New, out var withNew))
        {
            foreach (var s in withNew)
                Reconsider(s, e, epoch);
        }
    }

    // Evaluates once per pass and reports the difference from the endpoint's previous state.
    private void Reconsider(SelectorEntry s, EndpointEntry e, long epoch) => Reconsider(s, s.Evaluator, e, epoch);

    private void Reconsider(SelectorEntry s, Evaluator evaluator, EndpointEntry e, long epoch)
    {
        if (s.Epoch == epoch)
            return;
        s.Epoch = epoch;
        if (evaluator.Evaluate(e.Labels))
        {
            if (e.Matches.Add(s))
                _onMatchStarted(s.Id, e.Id);
        }
        else if (e.Matches.Remove(s))
            _onMatchStopped(s.Id, e.Id);
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
                    if (!_endpointsByKey.TryGetValue(atom.Key, out var bucket))
                        continue;
                    if (atom.Value is null)
                    {
                        foreach (var candidates in bucket.ByValue.Values)
                            Scan(s, candidates, epoch, into, recorded);
                    }
                    else if (bucket.ByValue.TryGetValue(atom.Value, out var candidates))
                        Scan(s, candidates, epoch, into, recorded);
                }
                break;
            case AnchorKind.Fallback:
                foreach (var e in _endpoints.Values)
                {
                    if (recorded ? e.Matches.Contains(s) : s.Selector.MatchesUnchecked(e.Labels))
                        into.Add(e);
                }
                break;
            default:
                break;
        }
    }

    private static void Scan(SelectorEntry s, HashSet<EndpointEntry> candidates, long epoch, HashSet<EndpointEntry> into, bool recorded)
    {
        foreach (var e in candidates)
        {
            if (e.Epoch == epoch)
                continue;
            e.Epoch = epoch;
            if (recorded ? e.Matches.Contains(s) : s.Selector.MatchesUnchecked(e.Labels))
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
        // The endpoint index only keeps keys that some selector could anchor on (a label nobody
        // anchors on, like a version compared with !=, then costs nothing to update); a key is
        // indexed, by one pass over the endpoints, the first time a selector could use it.
        var candidateKeys = new HashSet<string>(StringComparer.Ordinal);
        var probe = AnchorAnalyzer.Analyze(s.Selector.Root, atom =>
        {
            candidateKeys.Add(atom.Key);
            return 0;
        });
        foreach (var atom in probe ?? [])
            candidateKeys.Add(atom.Key);
        foreach (var key in candidateKeys)
            EnsureIndexed(key);
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
        if (_endpointsByKey.TryGetValue(atom.Key, out var bucket))
            count = atom.Value is null ? bucket.Count : bucket.CountOf(atom.Value);
        return (count * 16) + (atom.Value is null ? 8 : 1);
    }

    private void Register(SelectorEntry s)
    {
        switch (s.Kind)
        {
            case AnchorKind.Atoms:
                CountAnchorKeys(s, +1);
                foreach (var atom in s.Anchor)
                {
                    FileEndpointsUnder(atom.Key);
                    var bucket = SelectorBucket(atom.Key);
                    if (atom.Value is null)
                        (bucket.Present ??= new AtomBucket()).Add(s);
                    else
                    {
                        if (!bucket.ByValue.TryGetValue(atom.Value, out var atomBucket))
                        {
                            atomBucket = new AtomBucket();
                            bucket.ByValue.Add(atom.Value, atomBucket);
                        }
                        atomBucket.Add(s);
                    }
                }
                break;
            case AnchorKind.Fallback:
                _fallback.Add(s);
                foreach (var use in s.Uses)
                    (SelectorBucket(use.Key).Fallback ??= new ReaderSet()).Add(s, use);
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
                    if (!_selectorsByKey.TryGetValue(atom.Key, out var bucket))
                        continue;
                    if (atom.Value is null)
                    {
                        bucket.Present?.Remove(s);
                        if (bucket.Present is { IsEmpty: true })
                            bucket.Present = null;
                    }
                    else if (bucket.ByValue.TryGetValue(atom.Value, out var atomBucket))
                    {
                        atomBucket.Remove(s);
                        if (atomBucket.IsEmpty)
                            bucket.ByValue.Remove(atom.Value);
                    }
                    if (bucket.IsEmpty)
                        _selectorsByKey.Remove(atom.Key);
                }
                break;
            case AnchorKind.Fallback:
                _fallback.Remove(s);
                foreach (var use in s.Uses)
                {
                    if (!_selectorsByKey.TryGetValue(use.Key, out var bucket))
                        continue;
                    bucket.Fallback?.Remove(s, use);
                    if (bucket.Fallback is { IsEmpty: true })
                        bucket.Fallback = null;
                    if (bucket.IsEmpty)
                        _selectorsByKey.Remove(use.Key);
                }
                break;
            case AnchorKind.Universal:
                _universal.Remove(s);
                break;
            default:
                break;
        }
    }

    private void CountAnchorKeys(SelectorEntry s, int delta)
    {
        foreach (var anchorKey in s.Anchor.Select(a => a.Key).Distinct(StringComparer.Ordinal))
        {
            foreach (var use in s.Uses)
            {
                if (!_anchorKeysByReadKey.TryGetValue(use.Key, out var counts))
                {
                    counts = new Dictionary<string, int>(StringComparer.Ordinal);
                    _anchorKeysByReadKey.Add(use.Key, counts);
                }
                var count = counts.GetValueOrDefault(anchorKey) + delta;
                if (count > 0)
                    counts[anchorKey] = count;
                else
                {
                    counts.Remove(anchorKey);
                    if (counts.Count == 0)
                        _anchorKeysByReadKey.Remove(use.Key);
                }
            }
        }
    }

    private SelectorKeyBucket SelectorBucket(string key)
    {
        if (!_selectorsByKey.TryGetValue(key, out var bucket))
        {
            bucket = new SelectorKeyBucket();
            _selectorsByKey.Add(key, bucket);
        }
        return bucket;
    }

    private void EnsureIndexed(string key)
    {
        if (_endpointsByKey.ContainsKey(key))
            return;
        var bucket = new EndpointKeyBucket();
        _endpointsByKey.Add(key, bucket);
        foreach (var e in _endpoints.Values)
        {
            if (e.Labels.TryGetValue(key, out var value))
                FileEndpointLabel(e, key, value);
        }
    }

    // Switches the key's endpoint index from counts to sets, which anchored selectors need to find
    // their candidates (see EndpointKeyBucket); kept from then on, as the key stays indexed.
    private void FileEndpointsUnder(string key)
    {
        EnsureIndexed(key);
        var bucket = _endpointsByKey[key];
        if (bucket.HasSets)
            return;
        bucket.Counts = null;
        bucket.Count = 0;
        foreach (var e in _endpoints.Values)
        {
            if (e.Labels.TryGetValue(key, out var value))
                FileEndpointLabel(e, key, value);
        }
    }

    private void FileEndpointLabel(EndpointEntry e, string key, string value)
    {
        if (!_endpointsByKey.TryGetValue(key, out var bucket))
            return;
        if (bucket.Counts is not null)
        {
            bucket.Counts[value] = bucket.Counts.GetValueOrDefault(value) + 1;
            bucket.Count++;
            return;
        }
        if (bucket.ByValue.TryGetValue(value, out var set))
            set.Add(e);
        else
            bucket.ByValue.Add(value, [e]);
        bucket.Count++;
    }

    private void UnfileEndpointLabel(EndpointEntry e, string key, string value)
    {
        if (!_endpointsByKey.TryGetValue(key, out var bucket))
            return;
        if (bucket.Counts is not null)
        {
            // The caller passes the endpoint's current value, so it is counted.
            var count = bucket.Counts.GetValueOrDefault(value) - 1;
            if (count > 0)
                bucket.Counts[value] = count;
            else
                bucket.Counts.Remove(value);
            bucket.Count--;
            return;
        }
        if (!bucket.ByValue.TryGetValue(value, out var set) || !set.Remove(e))
            return;
        if (set.Count == 0)
            bucket.ByValue.Remove(value);
        bucket.Count--;
    }
}
