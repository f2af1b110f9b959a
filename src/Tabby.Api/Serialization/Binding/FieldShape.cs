using System.Reflection;

namespace Tabby.Api.Serialization.Binding;

/// <summary>One bindable property of a model type: its field name and how it is written.</summary>
internal sealed record FieldShape(string Name, PropertyInfo Property, bool AlwaysEmit, bool KeepEmpty);
