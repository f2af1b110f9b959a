using Tabby.Bgp.Tests.Fakes;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Speaker;

/// <summary>The gen0 collection a quiet spell gets, so that the next burst allocates on warm pages.</summary>
public sealed class SpeakerIdleCollectionTests
{
    [Fact]
    public async Task Each_quiet_spell_after_a_change_gets_one_collection_and_an_idle_speaker_none()
    {
        await using var h = new SpeakerHarness();
        Assert.Equal(0, h.Speaker.IdleCollections);

        h.Speaker.Originate(IpPrefix.Parse("10.30.1.0/24"));
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections == 1, "a collection in the quiet spell after the first change");
        // Not a wait for an event: the absence of one. Three times the spell's delay with no turn in between.
        await Task.Delay(300);
        Assert.Equal(1, h.Speaker.IdleCollections);

        h.Speaker.Originate(IpPrefix.Parse("10.30.2.0/24"));
        await Eventually.HoldsAsync(() => h.Speaker.IdleCollections == 2, "a collection in the quiet spell after the second change");
    }
}
