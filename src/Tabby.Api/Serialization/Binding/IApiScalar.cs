using System.Diagnostics.CodeAnalysis;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization.Binding;

/// <summary>A value written as one scalar that may be a number or a string (Calico's numorstring types).</summary>
public interface IApiScalar
{
    /// <summary>The canonical scalar for this value.</summary>
    ScalarNode ToNode();
}

/// <summary>An <see cref="IApiScalar"/> that the binder can also parse.</summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Static abstract parse is the point of the interface.")]
public interface IApiScalar<TSelf> : IApiScalar
    where TSelf : IApiScalar<TSelf>
{
    /// <summary>Parses a scalar; on failure, error says why in the words of a validation message.</summary>
    static abstract bool TryParse(ScalarNode node, [MaybeNullWhen(false)] out TSelf value, [NotNullWhen(false)] out string? error);
}
