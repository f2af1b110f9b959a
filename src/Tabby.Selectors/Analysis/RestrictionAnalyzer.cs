using Tabby.Selectors.Syntax;

namespace Tabby.Selectors.Analysis;

/// <summary>Derives the per-label necessary conditions of a selector.</summary>
/// <remarks>
/// Works on the negation normal form implicitly: '!' is pushed down (De Morgan), so
/// <c>!(a != "x")</c> still yields "a must be x" and <c>!(has(a) || has(b))</c> yields two absences,
/// where Calico's analysis only understands <c>!has()</c>. Every result is sound: a selector never
/// matches labels that break one of its restrictions.
/// </remarks>
internal static class RestrictionAnalyzer
{
    public static IReadOnlyDictionary<string, LabelRestriction> Analyze(SelectorNode root)
    {
        var map = Walk(root, negated: false);
        var result = new Dictionary<string, LabelRestriction>(map.Count, StringComparer.Ordinal);
        foreach (var (key, r) in map)
        {
            string[]? values = r.Values is null ? null : [.. r.Values.Order(StringComparer.Ordinal)];
            result[key] = new LabelRestriction(r.Present, r.Absent, values);
        }
        return result;
    }

    private static Dictionary<string, Partial> Walk(SelectorNode node, bool negated)
    {
        switch (node.Kind)
        {
            case NodeKind.Has:
                return Single(node.Key!, negated ? Partial.AbsentOnly() : Partial.PresentAny());
            case NodeKind.Equals when !negated:
            case NodeKind.NotEquals when negated:
                return Single(node.Key!, Partial.OneOf([node.Value!]));
            case NodeKind.In when !negated:
            case NodeKind.NotIn when negated:
                return Single(node.Key!, Partial.OneOf(node.Values!));
            case NodeKind.Contains or NodeKind.StartsWith or NodeKind.EndsWith when !negated:
                return Single(node.Key!, Partial.PresentAny());
            case NodeKind.Not:
                return Walk(node.Children[0], !negated);
            case NodeKind.And:
            case NodeKind.Or:
                var conjunction = (node.Kind == NodeKind.And) != negated;
                var acc = Walk(node.Children[0], negated);
                for (var i = 1; i < node.Children.Length; i++)
                {
                    var next = Walk(node.Children[i], negated);
                    acc = conjunction ? Intersect(acc, next) : Union(acc, next);
                }
                return acc;
            default:
                // all(); global(), about which Calico's analysis says nothing (its parser evaluates
                // global() as true and rules rewrite it before use); and negated comparisons that say nothing about presence (a != "x", ...).
                return new Dictionary<string, Partial>(StringComparer.Ordinal);
        }
    }

    // Both sides must hold: every restriction of either applies.
    private static Dictionary<string, Partial> Intersect(Dictionary<string, Partial> a, Dictionary<string, Partial> b)
    {
        foreach (var (key, rb) in b)
        {
            if (!a.TryGetValue(key, out var ra))
            {
                a[key] = rb;
                continue;
            }
            HashSet<string>? values;
            if (ra.Values is null)
                values = rb.Values;
            else if (rb.Values is null)
                values = ra.Values;
            else
            {
                values = new HashSet<string>(ra.Values, StringComparer.Ordinal);
                values.IntersectWith(rb.Values);
            }
            a[key] = new Partial(ra.Present || rb.Present, ra.Absent || rb.Absent, values);
        }
        return a;
    }

    // Either side may hold: only what both sides require survives.
    private static Dictionary<string, Partial> Union(Dictionary<string, Partial> a, Dictionary<string, Partial> b)
    {
        var result = new Dictionary<string, Partial>(StringComparer.Ordinal);
        foreach (var (key, ra) in a)
        {
            if (!b.TryGetValue(key, out var rb))
                continue;
            var present = ra.Present && rb.Present;
            var absent = ra.Absent && rb.Absent;
            HashSet<string>? values = null;
            if (present && ra.Values is not null && rb.Values is not null)
            {
                values = new HashSet<string>(ra.Values, StringComparer.Ordinal);
                values.UnionWith(rb.Values);
            }
            if (present || absent)
                result[key] = new Partial(present, absent, values);
        }
        return result;
    }

    private static Dictionary<string, Partial> Single(string key, Partial restriction) =>
        new(StringComparer.Ordinal) { [key] = restriction };

    /// <summary>A restriction being built; Values null means any value.</summary>
    private readonly record struct Partial(bool Present, bool Absent, HashSet<string>? Values)
    {
        public static Partial PresentAny() => new(true, false, null);

        public static Partial AbsentOnly() => new(false, true, null);

        public static Partial OneOf(IEnumerable<string> values) => new(true, false, new HashSet<string>(values, StringComparer.Ordinal));
    }
}
