using System.Globalization;

namespace Tabby.Ipam.Model;

/// <summary>Timestamps as Calico's stored objects carry them (Kubernetes metav1.Time: RFC 3339, whole seconds, UTC).</summary>
public static class IpamTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
