using System.Net;
using Tabby.Bgp.Config;
using Tabby.Core.Addressing;

namespace Tabby.Cli.Bgp;

/// <summary>A checked `tabby bgp run` file: what the speaker is built from.</summary>
internal sealed record BgpRunSettings(BgpSpeakerConfig Speaker, IReadOnlyList<BgpPeerConfig> Peers, IReadOnlyList<IpPrefix> Originate, IPEndPoint? Metrics);
