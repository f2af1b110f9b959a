using Tabby.Selectors.Evaluation;
using Tabby.Selectors.Syntax;

namespace Tabby.Selectors.Indexing;

/// <summary>The index's state for one selector ID.</summary>
internal sealed class SelectorEntry
{
    public SelectorEntry(string id, Selector selector)
    {
        Id = id;
        Replace(selector);
    }

    public string Id { get; }

    public Selector Selector { get; private set; } = null!;

    /// <summary>The selector's compiled matcher, held here so a visit does not go through the Selector.</summary>
    public Evaluator Evaluator { get; private set; } = null!;

    /// <summary>How it reads each distinct label key.</summary>
    public KeyUse[] Uses { get; private set; } = [];

    public AnchorKind Kind { get; set; }

    /// <summary>The atoms it is filed under when <see cref="Kind"/> is <see cref="AnchorKind.Atoms"/>.</summary>
    public LabelAtom[] Anchor { get; set; } = [];

    // Dedupes selectors reached through several buckets during one endpoint update.
    public long Epoch { get; set; }

    /// <summary>Swaps in a new selector; the caller unfiles the entry first and refiles it after.</summary>
    public void Replace(Selector selector)
    {
        Selector = selector;
        Evaluator = selector.Evaluator;
        Uses = CollectUses(selector.Root);
    }

    private static KeyUse[] CollectUses(SelectorNode root)
    {
        var literals = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var anyValue = new HashSet<string>(StringComparer.Ordinal);
        Walk(root);
        return [.. literals.Select(kv => new KeyUse(kv.Key, [.. kv.Value], anyValue.Contains(kv.Key)))];

        void Walk(SelectorNode node)
        {
            switch (node.Kind)
            {
                case NodeKind.Global:
                    Literals(Selector.NamespaceLabel);
                    break;
                case NodeKind.Has:
                    Literals(node.Key!);
                    break;
                case NodeKind.Equals or NodeKind.NotEquals:
                    Literals(node.Key!).Add(node.Value!);
                    break;
                case NodeKind.In or NodeKind.NotIn:
                    Literals(node.Key!).UnionWith(node.Values!);
                    break;
                case NodeKind.Contains or NodeKind.StartsWith or NodeKind.EndsWith:
                    Literals(node.Key!);
                    anyValue.Add(node.Key!);
                    break;
                default:
                    break;
            }
            foreach (var child in node.Children)
                Walk(child);
        }

        HashSet<string> Literals(string key)
        {
            if (!literals.TryGetValue(key, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                literals.Add(key, set);
            }
            return set;
        }
    }
}
