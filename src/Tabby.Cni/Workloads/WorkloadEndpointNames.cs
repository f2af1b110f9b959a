namespace Tabby.Cni.Workloads;

/// <summary>Calico's WorkloadEndpoint names: segments joined by '-', each segment's own dashes doubled.</summary>
/// <remarks>
/// <c>&lt;node&gt;-k8s-&lt;pod&gt;-&lt;endpoint&gt;</c> or <c>&lt;node&gt;-cni-&lt;containerID&gt;-&lt;endpoint&gt;</c>
/// (libcalico-go's names.WorkloadEndpointIdentifiers). A segment may not begin or end with '-', or the name
/// could not be split back into its segments.
/// </remarks>
public static class WorkloadEndpointNames
{
    /// <summary>Joins the segments; returns null and the reason when a segment is empty or starts or ends with '-'.</summary>
    public static string? TryBuild(IReadOnlyList<(string Field, string Value)> segments, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var parts = new List<string>(segments.Count);
        foreach (var (field, value) in segments)
        {
            if (string.IsNullOrEmpty(value))
            {
                problem = $"{field} should be assigned";
                return null;
            }
            if (value[0] == '-' || value[^1] == '-')
            {
                problem = $"{field} '{value}' must not begin or end with a '-'";
                return null;
            }
            parts.Add(value.Replace("-", "--", StringComparison.Ordinal));
        }
        problem = null;
        return string.Join('-', parts);
    }

    /// <summary>Splits a name back into its segments (undoing the escaping); null when it does not have <paramref name="count"/> of them.</summary>
    public static IReadOnlyList<string>? Split(string name, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = new List<string>();
        var last = -1;
        for (var i = 1; i < name.Length; i++)
        {
            if (name[i] != '-')
                continue;
            if (i < name.Length - 1 && name[i + 1] == '-')
            {
                i++;
                continue;
            }
            parts.Add(name[(last + 1)..i].Replace("--", "-", StringComparison.Ordinal));
            last = i;
        }
        parts.Add(name[(last + 1)..].Replace("--", "-", StringComparison.Ordinal));
        return parts.Count == count ? parts : null;
    }
}
