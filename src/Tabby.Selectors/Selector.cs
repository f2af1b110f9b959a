using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Tabby.Selectors.Analysis;
using Tabby.Selectors.Evaluation;
using Tabby.Selectors.Hashing;
using Tabby.Selectors.Syntax;

namespace Tabby.Selectors;

/// <summary>A parsed Calico selector: canonical text, stable ID, label restrictions and a compiled matcher.</summary>
/// <remarks>
/// Immutable and safe to share between threads. Two selectors are equal when their canonical
/// forms are, so differently spelled equivalent selectors compare (and hash) equal.
/// </remarks>
public sealed class Selector : IEquatable<Selector>
{
    /// <summary>
    /// The label Calico puts on every namespaced object. <c>global()</c> matches exactly the label
    /// sets without it, i.e. non-namespaced objects (host endpoints, global network sets); callers
    /// evaluating namespaced endpoints must include it, as Felix does.
    /// </summary>
    public const string NamespaceLabel = "projectcalico.org/namespace";

    // Calico's MakeUniqueID("s", canonical) hashes the prefix with the text and prints it before the hash.
    private const string IdPrefix = "s:";

    private IReadOnlyDictionary<string, LabelRestriction>? _restrictions;

    private Selector(SelectorNode parsed)
    {
        Canonical = CanonicalPrinter.Print(parsed);
        var root = SelectorNormalizer.Normalize(parsed);
        Root = root;
        Id = MakeId(Canonical);
        Evaluator = SelectorCompiler.Compile(root);
        LabelKeys = CollectKeys(root);
        UsesGlobal = ContainsGlobal(root);
    }

    /// <summary>The selector that matches everything (also what an empty selector means).</summary>
    public static Selector All { get; } = new(SelectorNode.All);

    /// <summary>The canonical text of the selector.</summary>
    public string Canonical { get; }

    /// <summary>
    /// Calico's unique ID: "s:" and the unpadded base64url SHA-224 of "s:" + <see cref="Canonical"/>
    /// (libcalico-go's hash.MakeUniqueID): 40 characters from [A-Za-z0-9_:-], used to name dataplane sets.
    /// </summary>
    public string Id { get; }

    /// <summary>For each label key the selector constrains, what it requires of it (necessary, not sufficient).</summary>
    public IReadOnlyDictionary<string, LabelRestriction> LabelRestrictions =>
        _restrictions ??= RestrictionAnalyzer.Analyze(Root);

    /// <summary>The distinct label keys whose presence or value can change the result (global() counts as <see cref="NamespaceLabel"/>).</summary>
    public IReadOnlyList<string> LabelKeys { get; }

    /// <summary>Whether the selector contains <c>global()</c> (Calico allows it only in some places).</summary>
    public bool UsesGlobal { get; }

    /// <summary>The simplified tree that evaluation, analysis and the index work on (see <see cref="SelectorNormalizer"/>).</summary>
    internal SelectorNode Root { get; }

    /// <summary>The compiled matcher.</summary>
    internal Evaluator Evaluator { get; }

    /// <summary>Parses a selector; an empty or blank text is <c>all()</c>.</summary>
    /// <exception cref="SelectorSyntaxException">The text is not a valid selector.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Selector(SelectorParser.Parse(text));
    }

    /// <summary>Parses a selector; on failure, error says what is wrong and where.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Selector? selector, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            selector = new Selector(SelectorParser.Parse(text));
            error = null;
            return true;
        }
        catch (SelectorSyntaxException e)
        {
            selector = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Whether the labels satisfy the selector; allocation-free.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Evaluator.Evaluate(labels);
    }

    /// <summary>Matching without the argument check, for the index's inner loops.</summary>
    internal bool MatchesUnchecked(IReadOnlyDictionary<string, string> labels) => Evaluator.Evaluate(labels);

    public bool Equals(Selector? other) => other is not null && string.Equals(Canonical, other.Canonical, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Selector other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Canonical);

    public override string ToString() => Canonical;

    private static string MakeId(string canonical)
    {
        var hash = Sha224.Hash(Encoding.UTF8.GetBytes(IdPrefix + canonical));
        return IdPrefix + Base64Url.EncodeToString(hash);
    }

    private static bool ContainsGlobal(SelectorNode node) =>
        node.Kind == NodeKind.Global || node.Children.Any(ContainsGlobal);

    private static string[] CollectKeys(SelectorNode root)
    {
        var keys = new List<string>();
        Collect(root, keys);
        return [.. keys.Distinct(StringComparer.Ordinal)];

        static void Collect(SelectorNode node, List<string> keys)
        {
            if (node.Kind == NodeKind.Global)
                keys.Add(NamespaceLabel);
            else if (node.Key is not null)
                keys.Add(node.Key);
            foreach (var child in node.Children)
                Collect(child, keys);
        }
    }
}
