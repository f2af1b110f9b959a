namespace Tabby.Bgp.Wire;

/// <summary>An OPEN message (RFC 4271 4.2) with its capabilities flattened from all optional parameters.</summary>
/// <param name="MyAs">The 2-octet AS field; AS_TRANS (23456) when the real AS only fits the 4-octet capability.</param>
/// <param name="BgpIdentifier">The router ID as a host-order integer (a.b.c.d is a&lt;&lt;24|...).</param>
public sealed record BgpOpen(
    byte Version,
    ushort MyAs,
    ushort HoldTime,
    uint BgpIdentifier,
    ValueList<BgpCapability> Capabilities = default) : BgpMessage
{
    public const byte SupportedVersion = 4;
    public const ushort AsTrans = 23456;

    public override BgpMessageType Type => BgpMessageType.Open;

    /// <summary>The sender's AS: the 4-octet capability's value when present, else MyAs.</summary>
    public uint EffectiveAs => Find<FourOctetAsCapability>()?.As ?? MyAs;

    public bool SupportsFourOctetAs => Find<FourOctetAsCapability>() is not null;
    public bool SupportsRouteRefresh => Find<RouteRefreshCapability>() is not null;
    public GracefulRestartCapability? GracefulRestart => Find<GracefulRestartCapability>();

    /// <summary>Families announced by multiprotocol capabilities; IPv4 unicast alone when there are none (RFC 4760 8).</summary>
    public IReadOnlyList<BgpFamily> Families
    {
        get
        {
            var list = new List<BgpFamily>();
            foreach (var c in Capabilities)
            {
                if (c is MultiprotocolCapability mp && !list.Contains(mp.Family))
                    list.Add(mp.Family);
            }
            if (list.Count == 0)
                list.Add(BgpFamily.Ipv4Unicast);
            return list;
        }
    }

    public T? Find<T>() where T : BgpCapability
    {
        foreach (var c in Capabilities)
        {
            if (c is T t)
                return t;
        }
        return null;
    }

    /// <summary>Builds an OPEN for a local AS of any size, putting AS_TRANS in MyAs when it needs 4 octets.</summary>
    public static BgpOpen Create(uint localAs, ushort holdTime, uint bgpIdentifier, IEnumerable<BgpCapability> capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var caps = capabilities.ToList();
        if (!caps.OfType<FourOctetAsCapability>().Any())
            caps.Add(new FourOctetAsCapability(localAs));
        return new BgpOpen(SupportedVersion, localAs > ushort.MaxValue ? AsTrans : (ushort)localAs, holdTime, bgpIdentifier, caps.ToArray());
    }
}
