using System.Net;
using Tabby.Linux.Netns;

namespace Tabby.Lab.Topology;

/// <summary>One router namespace on a <see cref="Segment"/> with its IPv4 and IPv6 addresses.</summary>
public sealed record SegmentMember(NetworkNamespace Namespace, IPAddress Address, IPAddress Address6);
