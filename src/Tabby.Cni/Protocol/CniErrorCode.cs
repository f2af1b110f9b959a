namespace Tabby.Cni.Protocol;

/// <summary>The error codes of CNI 1.1.0 (0-99 reserved by the spec) and Tabby's own (100 and up).</summary>
public static class CniErrorCode
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodeFailure = 6;
    public const int InvalidConfig = 7;
    public const int TryAgainLater = 11;

    /// <summary>STATUS: the plugin cannot service ADD requests.</summary>
    public const int NotAvailable = 50;

    /// <summary>STATUS: not available, and existing containers may have limited connectivity.</summary>
    public const int LimitedConnectivity = 51;

    /// <summary>Something Tabby did not expect: a bug, reported with its type and message (never a stack trace).</summary>
    public const int Internal = 100;

    /// <summary>ADD: the container already has an interface named CNI_IFNAME.</summary>
    public const int InterfaceExists = 101;

    /// <summary>IPAM could not hand out an address: no qualifying pool, pools exhausted, block limit.</summary>
    public const int NoAddress = 102;

    /// <summary>A requested address cannot be had: in use, reserved, outside every pool, or another host's under strict affinity.</summary>
    public const int AddressUnavailable = 103;

    /// <summary>Programming the kernel failed (veth, addresses, routes, sysctls).</summary>
    public const int Dataplane = 104;

    /// <summary>CHECK: the container's networking differs from what ADD set up.</summary>
    public const int CheckFailed = 105;

    /// <summary>The delegated IPAM plugin failed without a CNI error of its own (crashed, hung, printed no JSON).</summary>
    public const int DelegateFailed = 106;

    /// <summary>The datastore holds something Tabby cannot use (undecodable or inconsistent data).</summary>
    public const int DatastoreData = 107;
}
