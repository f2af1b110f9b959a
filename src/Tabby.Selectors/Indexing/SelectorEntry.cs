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

    /// <summary>How it reads each distinct label key.</summary>
    public KeyUse[] Uses { get; private set; } = [];

    /// <summary><see cref="Uses"/> resolved against the index's catalog while it is registered as anchored or fallback; empty otherwise.</summary>
    public IndexedRead[] Reads { get; set; } = [];

    /// <summary>The selector compiled against the catalog (see <see cref="IndexedMatcher"/>) while <see cref="Reads"/> is resolved; what the index evaluates it with.</summary>
    public MatchStep[] Steps { get; set; } = [];

    public AnchorKind Kind { get; set; }

    /// <summary>The atoms it is filed under when <see cref="Kind"/> is <see cref="AnchorKind.Atoms"/>.</summary>
    public LabelAtom[] Anchor { get; set; } = [];

    /// <summary>Swaps in a new selector; the caller unfiles the entry first and refiles it after.</summary>
    public void Replace(Selector selector)
    {
        Selector = selector;
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
