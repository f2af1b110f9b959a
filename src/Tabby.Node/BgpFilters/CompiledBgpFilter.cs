using Tabby.Bgp.Wire;

namespace Tabby.Node.BgpFilters;

/// <summary>A BGPFilter resource ready to run: its four ordered rule lists.</summary>
public sealed record CompiledBgpFilter(string Name, ValueList<FilterRule> ImportV4, ValueList<FilterRule> ExportV4, ValueList<FilterRule> ImportV6, ValueList<FilterRule> ExportV6)
{
    /// <summary>A filter a peer names that does not exist: it has no rules, as Calico skips it.</summary>
    public static CompiledBgpFilter Missing(string name) => new(name, default, default, default, default);

    public ValueList<FilterRule> Rules(bool import, bool ipv6) => (import, ipv6) switch
    {
        (true, false) => ImportV4,
        (false, false) => ExportV4,
        (true, true) => ImportV6,
        _ => ExportV6,
    };

    /// <summary>Every rule as text, one list per direction: equal texts mean equal filters.</summary>
    public override string ToString() =>
        $"{Name}: importV4 [{string.Join("; ", ImportV4)}] exportV4 [{string.Join("; ", ExportV4)}] importV6 [{string.Join("; ", ImportV6)}] exportV6 [{string.Join("; ", ExportV6)}]";
}
