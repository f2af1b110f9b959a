using System.Globalization;

namespace Tabby.Api.Serialization.Binding;

/// <summary>Builds field paths in the form errors print them: <c>spec.ingress[0].destination.ports[1]</c>.</summary>
internal static class FieldPath
{
    public static string Child(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string Item(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
