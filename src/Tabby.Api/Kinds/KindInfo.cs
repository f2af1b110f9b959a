namespace Tabby.Api.Kinds;

/// <summary>What Tabby knows about one resource kind: its names, scope and model type.</summary>
/// <param name="Kind">The kind as written in manifests, e.g. <c>GlobalNetworkPolicy</c>.</param>
/// <param name="Plural">The lower-case plural used in datastore keys and on the command line, e.g. <c>globalnetworkpolicies</c>.</param>
/// <param name="Namespaced">Whether objects of the kind live in a namespace.</param>
/// <param name="ClrType">The model type.</param>
/// <param name="ShortNames">Other names the command line accepts (<c>gnp</c>, <c>ippool</c>, ...).</param>
public sealed record KindInfo(string Kind, string Plural, bool Namespaced, Type ClrType, IReadOnlyList<string> ShortNames)
{
    /// <summary>The kind of a list of these, e.g. <c>IPPoolList</c>.</summary>
    public string ListKind => Kind + "List";

    /// <summary>Creates an empty object of the kind.</summary>
    public Resources.Resource Create() => (Resources.Resource)Serialization.Binding.ModelCatalog.Create(ClrType);
}
