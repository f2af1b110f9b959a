using System.Runtime.CompilerServices;
using Tabby.Selectors.Syntax;

namespace Tabby.Selectors.Indexing;

/// <summary>Compiles a selector against the index's <see cref="LabelCatalog"/> into <see cref="MatchStep"/>s, and evaluates them on an endpoint's <see cref="LabelMap"/> by references.</summary>
/// <remarks>
/// The index re-evaluates a few selectors per label update, each against one endpoint's slots.
/// The general <see cref="Evaluation.Evaluator"/> tree looks labels up through an interface and
/// compares value strings, loading each literal (often a cache miss); here keys and values are the
/// catalog's objects, so a lookup is a reference scan of the slots and a comparison is a
/// reference test, and the steps sit in one array, which the index's sensitivity entries point at
/// directly. Only meaningful while the selector is
/// registered: its literals' objects are then kept, and every endpoint slot of a key it reads
/// points at the same objects (see <see cref="IndexedValue"/>).
/// </remarks>
internal static class IndexedMatcher
{
    // Below this size a scan of references beats hashing.
    private const int LinearLimit = 8;

    /// <summary>Compiles the tree; every key it reads must be tracked and every literal interned (see <see cref="LabelCatalog.Acquire"/>).</summary>
    /// <param name="root">The selector's tree.</param>
    /// <param name="catalog">The index's catalog.</param>
    /// <param name="selectorId">Kept in a header step (see <see cref="IdOf"/>).</param>
    public static MatchStep[] Compile(SelectorNode root, LabelCatalog catalog, string selectorId)
    {
        var steps = new List<MatchStep> { new(MatchOp.Header, false, 1, 0, null, selectorId) };
        Emit(root, negated: false, steps, catalog);
        return [.. steps];
    }

    public static bool Matches(MatchStep[] steps, LabelMap labels) => Evaluate(steps, 1, labels);

    /// <summary>
    /// The selector's ID, from the header step: a re-evaluation that changes a match reports it
    /// with this, from the array it has just evaluated, instead of loading the (cold) selector entry.
    /// </summary>
    public static string IdOf(MatchStep[] steps) => Unsafe.As<string>(steps[0].Operand!);

    private static bool Evaluate(MatchStep[] steps, int at, LabelMap labels)
    {
        ref readonly var step = ref steps[at];
        switch (step.Op)
        {
            case MatchOp.Not:
                return !Evaluate(steps, at + 1, labels);
            case MatchOp.And:
            {
                // Leaf operands (most of them) are tested here rather than by a recursive call.
                var operand = at + 1;
                for (var i = 0; i < step.Count; i++)
                {
                    var size = steps[operand].Size;
                    if (!(IsLeaf(steps[operand].Op) ? Test(steps, operand, labels) : Evaluate(steps, operand, labels)))
                        return false;
                    operand += size;
                }
                return true;
            }
            case MatchOp.Or:
            {
                var operand = at + 1;
                for (var i = 0; i < step.Count; i++)
                {
                    var size = steps[operand].Size;
                    if (IsLeaf(steps[operand].Op) ? Test(steps, operand, labels) : Evaluate(steps, operand, labels))
                        return true;
                    operand += size;
                }
                return false;
            }
            default:
                return Test(steps, at, labels);
        }
    }

    private static bool IsLeaf(MatchOp op) => op < MatchOp.Not;

    // A leaf: one label test.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Test(MatchStep[] steps, int at, LabelMap labels)
    {
        ref readonly var step = ref steps[at];
        return step.Op switch
        {
            MatchOp.Constant => !step.Negated,
            MatchOp.Has => (labels.InfoOf(step.Key!) is not null) != step.Negated,
            MatchOp.Equals => ReferenceEquals(labels.InfoOf(step.Key!), step.Operand) != step.Negated,
            MatchOp.In => IsIn(labels.InfoOf(step.Key!), steps, at) != step.Negated,
            _ => Text(labels.InfoOf(step.Key!), step.Op, Unsafe.As<string>(step.Operand!)) != step.Negated,
        };
    }

    // A small set's members are the steps that follow it (no array to load); a large one is a set.
    private static bool IsIn(IndexedValue? value, MatchStep[] steps, int at)
    {
        if (value is null)
            return false;
        var count = steps[at].Count;
        if (count == 0)
            return Unsafe.As<HashSet<IndexedValue>>(steps[at].Operand!).Contains(value);
        for (var i = at + 1; i <= at + count; i++)
        {
            if (ReferenceEquals(steps[i].Operand, value))
                return true;
        }
        return false;
    }

    private static bool Text(IndexedValue? value, MatchOp op, string text) => value is not null && op switch
    {
        MatchOp.Contains => value.Text.Contains(text, StringComparison.Ordinal),
        MatchOp.StartsWith => value.Text.StartsWith(text, StringComparison.Ordinal),
        _ => value.Text.EndsWith(text, StringComparison.Ordinal),
    };

    // Appends the subtree for node (negated folds a '!' into the leaf, as the evaluator compiler does).
    private static void Emit(SelectorNode node, bool negated, List<MatchStep> steps, LabelCatalog catalog)
    {
        switch (node.Kind)
        {
            case NodeKind.All:
                steps.Add(new MatchStep(MatchOp.Constant, negated, 1, 0, null, null));
                return;
            case NodeKind.Global:
                // global() holds for objects without a namespace; see Selector.NamespaceLabel.
                steps.Add(new MatchStep(MatchOp.Has, !negated, 1, 0, Key(Selector.NamespaceLabel), null));
                return;
            case NodeKind.Has:
                steps.Add(new MatchStep(MatchOp.Has, negated, 1, 0, Key(node.Key!), null));
                return;
            case NodeKind.Equals or NodeKind.NotEquals:
            {
                var key = Key(node.Key!);
                steps.Add(new MatchStep(MatchOp.Equals, negated != (node.Kind == NodeKind.NotEquals), 1, 0, key, Value(key, node.Value!)));
                return;
            }
            case NodeKind.In or NodeKind.NotIn:
            {
                var key = Key(node.Key!);
                var values = node.Values!.Select(v => Value(key, v)).ToArray();
                var negate = negated != (node.Kind == NodeKind.NotIn);
                if (values.Length == 0)
                    steps.Add(new MatchStep(MatchOp.Constant, !negate, 1, 0, null, null));
                else if (values.Length > LinearLimit)
                    steps.Add(new MatchStep(MatchOp.In, negate, 1, 0, key, values.ToHashSet()));
                else
                {
                    steps.Add(new MatchStep(MatchOp.In, negate, 1 + values.Length, (ushort)values.Length, key, null));
                    foreach (var value in values)
                        steps.Add(new MatchStep(MatchOp.Member, false, 1, 0, null, value));
                }
                return;
            }
            case NodeKind.Contains or NodeKind.StartsWith or NodeKind.EndsWith:
            {
                var op = node.Kind switch
                {
                    NodeKind.Contains => MatchOp.Contains,
                    NodeKind.StartsWith => MatchOp.StartsWith,
                    _ => MatchOp.EndsWith,
                };
                steps.Add(new MatchStep(op, negated, 1, 0, Key(node.Key!), node.Value!));
                return;
            }
            case NodeKind.Not:
                Emit(node.Children[0], !negated, steps, catalog);
                return;
            case NodeKind.And or NodeKind.Or:
            {
                var at = steps.Count;
                steps.Add(default);
                foreach (var child in node.Children)
                    Emit(child, negated: false, steps, catalog);
                // An operand-less junction never occurs (the parser needs two); Count 0 would still be right.
                steps[at] = new MatchStep(node.Kind == NodeKind.And ? MatchOp.And : MatchOp.Or, false, steps.Count - at, checked((ushort)node.Children.Length), null, null);
                if (negated)
                {
                    steps.Insert(at, new MatchStep(MatchOp.Not, false, steps.Count - at + 1, 0, null, null));
                }
                return;
            }
            default:
                throw new InvalidOperationException($"unknown node kind {node.Kind}");
        }

        IndexedKey Key(string name) => catalog.Find(name) ?? throw new InvalidOperationException($"label key {name} is not tracked");

        static IndexedValue Value(IndexedKey key, string text) =>
            key.Find(text) ?? throw new InvalidOperationException($"value {key.Name}={text} is not interned");
    }
}
