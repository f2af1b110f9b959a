using Tabby.Api.Resources;

namespace Tabby.Api.Serialization;

/// <summary>Compares resources by their canonical form, so two objects are equal exactly when they would be stored alike.</summary>
public static class ResourceEquality
{
    public static bool AreEqual(IResource? left, IResource? right)
    {
        if (left is null || right is null)
            return left is null && right is null;
        return left.GetType() == right.GetType()
            && string.Equals(ResourceWriter.ToCanonicalJson(left), ResourceWriter.ToCanonicalJson(right), StringComparison.Ordinal);
    }
}
