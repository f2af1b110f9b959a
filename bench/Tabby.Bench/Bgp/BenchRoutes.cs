using System.Globalization;
using System.Net;
using System.Text;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bench.Bgp;

/// <summary>The benchmark's table: N /32s in 1,000 attribute groups (different MEDs, communities and AS paths), for BIRD's static protocol or pre-encoded UPDATEs.</summary>
internal static class BenchRoutes
{
    public const int Groups = 1000;

    /// <summary>Every benchmark prefix lies in here (10.64.0.0/12 holds a million /32s).</summary>
    public static readonly IpPrefix Range = IpPrefix.Parse("10.64.0.0/12");

    public static IpPrefix Prefix(int i) => IpPrefix.V4(0x0A400000u + (uint)i, 32);

    private static int PerGroup(int count) => (count + Groups - 1) / Groups;

    /// <summary>A BIRD static protocol, disabled until the benchmark enables it, originating the table with the same attribute groups.</summary>
    public static string BirdStatic(string name, int count)
    {
        var c = new StringBuilder(count * 80);
        c.AppendLine(CultureInfo.InvariantCulture, $"protocol static {name} {{ disabled; ipv4;");
        var perGroup = PerGroup(count);
        for (var i = 0; i < count; i++)
        {
            var g = i / perGroup;
            c.Append(CultureInfo.InvariantCulture, $"route {Prefix(i)} blackhole {{ bgp_med = {g % 7}; bgp_local_pref = 100; bgp_community.add((65000,{g})); bgp_community.add((65000,1)); ");
            if (g % 3 != 0)
                c.Append(CultureInfo.InvariantCulture, $"bgp_path.prepend({64512 + (g % 50)}); ");
            c.AppendLine("};");
        }
        c.AppendLine("}");
        return c.ToString();
    }

    /// <summary>The same table packed as a real sender would, plus its withdrawal.</summary>
    public static (List<byte[]> Announce, List<byte[]> Withdraw) Encoded(int count, IPAddress sender)
    {
        var announce = new List<byte[]>();
        var all = new IpPrefix[count];
        var perGroup = PerGroup(count);
        for (var g = 0; g < Groups && g * perGroup < count; g++)
        {
            var prefixes = new IpPrefix[Math.Min(perGroup, count - (g * perGroup))];
            for (var i = 0; i < prefixes.Length; i++)
                prefixes[i] = all[(g * perGroup) + i] = Prefix((g * perGroup) + i);
            var attributes = new PathAttributes
            {
                Origin = BgpOrigin.Igp,
                AsPath = g % 3 == 0 ? AsPath.Empty : AsPath.Sequence(64512 + (uint)(g % 50)),
                NextHop = sender,
                LocalPref = 100,
                Med = (uint)(g % 7),
                Communities = new ValueList<Community>([new Community(65000, (ushort)g), new Community(65000, 1)]),
            };
            announce.AddRange(BgpUpdatePacker.PackAnnouncements(attributes, prefixes, BgpCodecContext.Default));
        }
        return (announce, BgpUpdatePacker.PackWithdrawals(all));
    }
}
