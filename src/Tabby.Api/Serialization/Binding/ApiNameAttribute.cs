namespace Tabby.Api.Serialization.Binding;

/// <summary>Names a property's YAML/JSON field when Calico's name is not simply the camelCase property name.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ApiNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
