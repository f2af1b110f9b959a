using System.Net;
using Tabby.Bgp.Config;
using Tabby.Core.Addressing;

namespace Tabby.Cli.Bgp;

/// <summary>A checked `tabby bgp run` file: what the speaker is built from.</summary>
/// <param name="SchedulerSlice">The slice the speaker's threads ask the kernel for; zero leaves the default.</param>
internal sealed record BgpRunSettings(BgpSpeakerConfig Speaker, IReadOnlyList<BgpPeerConfig> Peers, IReadOnlyList<IpPrefix> Originate, IPEndPoint? Metrics, TimeSpan SchedulerSlice);
