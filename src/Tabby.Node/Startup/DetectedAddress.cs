using System.Net;

namespace Tabby.Node.Startup;

/// <summary>A node address with its interface's prefix length, written as Calico stores it: <c>192.168.0.2/24</c>.</summary>
public sealed record DetectedAddress(IPAddress Address, int PrefixLength, string Interface)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
