using Tabby.Bgp.Config;
using Tabby.Bgp.Speaker;
using Tabby.Core.Addressing;
using Tabby.Lab.Daemons;

namespace Tabby.Integration.Tests.Bgp;

/// <summary>Tabby's speaker against BIRD, FRR and GoBGP, each in its own namespace on one segment.</summary>
public sealed class SpeakerInteropTests : IAsyncLifetime
{
    private readonly BgpLab _lab = new("bgpi");

    [Theory]
    [InlineData("bird", false)]
    [InlineData("frr", false)]
    [InlineData("gobgp", false)]
    [InlineData("bird", true)]
    [InlineData("frr", true)]
    [InlineData("gobgp", true)]
    public async Task Tabby_exchanges_and_withdraws_routes_with_a_reference_daemon(string kind, bool ibgp)
    {
        var segment = _lab.BuildSegment(2);
        var (tabby, peer) = (segment.Members[0], segment.Members[1]);
        const uint tabbyAs = 4200000001;
        var peerAs = ibgp ? tabbyAs : 65010u;
        var ours = IpPrefix.Parse("10.200.0.0/24");
        var theirs = IpPrefix.Parse("10.201.0.0/24");

        var speaker = _lab.StartSpeaker(tabby.Namespace, tabby.Address, tabbyAs, new BgpPeerConfig(peer.Address, peerAs) { HoldTime = 9 });
        speaker.Originate(ours);
        var daemon = _lab.StartDaemon(kind, peer, new BgpRouterSpec(peer.Address, peerAs, peer.Address)
        {
            Neighbors = [new BgpNeighborSpec(tabby.Address, tabbyAs)],
            Originate = [theirs],
        });

        await daemon.WaitEstablishedAsync(tabby.Address);
        await daemon.WaitForPrefixesAsync([ours]);
        await BgpLab.WaitForBestAsync(speaker, theirs, present: true);

        speaker.Withdraw(ours);
        await daemon.WaitForAbsenceAsync([ours]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lab.DisposeAsync().AsTask();
}
