namespace Tabby.Api.Serialization.Binding;

/// <summary>Marks a field Calico writes even when empty (a Go field without <c>omitempty</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AlwaysEmitAttribute : Attribute;
