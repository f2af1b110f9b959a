using System.Reflection;
using Tabby.Api.Kinds;
using Tabby.Api.Serialization.Binding;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Tests.Serialization;

/// <summary>The binder only builds registered types (so trimming keeps them); every field of every kind must be registered.</summary>
public class ModelCatalogTests
{
    [Fact]
    public void Every_type_reachable_from_a_kind_is_registered()
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(KindRegistry.All.Select(k => k.ClrType));
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || type == typeof(string) || type.IsPrimitive || type == typeof(DocNode))
                continue;
            if (!ModelCatalog.IsRegistered(type))
                missing.Add(type.ToString());
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                    pending.Push(argument);
                continue;
            }
            if (typeof(IApiScalar).IsAssignableFrom(type))
                continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                pending.Push(property.PropertyType);
        }

        Assert.Empty(missing);
    }
}
