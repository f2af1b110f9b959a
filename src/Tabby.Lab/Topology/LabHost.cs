using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Topology;

/// <summary>A host namespace of a lab, with the rtnetlink client that programs it.</summary>
public sealed class LabHost : IDisposable
{
    private readonly List<LabWorkload> _workloads = [];

    internal LabHost(string name, IPAddress address, IpPrefix block, NetworkNamespace networkNamespace)
    {
        Name = name;
        Address = address;
        Block = block;
        Namespace = networkNamespace;
        Netlink = RtNetlinkClient.Open(networkNamespace);
    }

    public string Name { get; }
    public IPAddress Address { get; }
    public IpPrefix Block { get; }
    public NetworkNamespace Namespace { get; }
    public RtNetlinkClient Netlink { get; }
    public IReadOnlyList<LabWorkload> Workloads => _workloads;

    internal void Add(LabWorkload workload) => _workloads.Add(workload);

    public void Dispose() => Netlink.Dispose();
}
