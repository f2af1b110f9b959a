namespace Tabby.Api.Serialization.Binding;

/// <summary>Marks a list or map whose empty value means something (a Go pointer to a slice): written when set, even empty.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeepEmptyAttribute : Attribute;
