using System.Globalization;

namespace Tabby.Cni.Protocol;

/// <summary>A CNI specification version (semantic version, major.minor.patch) and what each one allows.</summary>
public readonly record struct CniVersion(int Major, int Minor, int Patch) : IComparable<CniVersion>
{
    public static readonly CniVersion V0_3_0 = new(0, 3, 0);
    public static readonly CniVersion V0_3_1 = new(0, 3, 1);
    public static readonly CniVersion V0_4_0 = new(0, 4, 0);
    public static readonly CniVersion V1_0_0 = new(1, 0, 0);
    public static readonly CniVersion V1_1_0 = new(1, 1, 0);

    /// <summary>Every version Tabby speaks: the rich result types (0.3.0 on) as Calico does, and 1.0.0/1.1.0.</summary>
    public static IReadOnlyList<CniVersion> Supported { get; } = [V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0];

    /// <summary>The newest version Tabby speaks.</summary>
    public static CniVersion Latest => V1_1_0;

    /// <summary>CHECK exists from 0.4.0 on.</summary>
    public bool AllowsCheck => this >= V0_4_0;

    /// <summary>GC and STATUS exist from 1.1.0 on.</summary>
    public bool AllowsGcAndStatus => this >= V1_1_0;

    /// <summary>Results before 1.0.0 carry a "version" on each IP.</summary>
    public bool IpsCarryVersion => this < V1_0_0;

    /// <summary>Route scope (and the other route fields) exist in results from 1.1.0 on.</summary>
    public bool RoutesCarryScope => this >= V1_1_0;

    /// <summary>Interfaces carry "mtu" from 1.1.0 on.</summary>
    public bool InterfacesCarryMtu => this >= V1_1_0;

    public bool IsSupported => Supported.Contains(this);

    /// <summary>Parses "x.y.z" exactly, as semantic versions without pre-release or build parts.</summary>
    public static bool TryParse(string? text, out CniVersion version)
    {
        version = default;
        if (string.IsNullOrEmpty(text))
            return false;
        var parts = text.Split('.');
        if (parts.Length != 3)
            return false;
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            // Semantic versions forbid leading zeros and signs.
            if (parts[i].Length == 0 || (parts[i].Length > 1 && parts[i][0] == '0')
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                return false;
        }
        version = new CniVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    /// <summary>The supported versions as the spec lists them, e.g. ["0.3.0", ..., "1.1.0"].</summary>
    public static string SupportedList => "[" + string.Join(", ", Supported.Select(v => $"\"{v}\"")) + "]";

    public int CompareTo(CniVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(CniVersion left, CniVersion right) => left.CompareTo(right) < 0;
    public static bool operator >(CniVersion left, CniVersion right) => left.CompareTo(right) > 0;
    public static bool operator <=(CniVersion left, CniVersion right) => left.CompareTo(right) <= 0;
    public static bool operator >=(CniVersion left, CniVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
