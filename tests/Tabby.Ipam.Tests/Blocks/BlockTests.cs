using System.Text;
using System.Text.Json.Nodes;
using Tabby.Core.Addressing;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Pools;

namespace Tabby.Ipam.Tests.Blocks;

public sealed class BlockTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly IpPrefix s_cidr = IpPrefix.Parse("10.20.1.0/29");

    [Fact]
    public void A_new_block_is_affine_empty_and_lists_every_ordinal_free_in_order()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        Assert.Equal("host:host-a", block.Data.Affinity);
        Assert.Equal("2026-12-06T12:00:00Z", block.Data.AffinityClaimTime);
        Assert.Equal(8, block.NumAddresses);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], block.Data.Unallocated);
        Assert.True(block.IsEmpty);
        Assert.Equal(8, block.NumFree(ReservationSet.None));
    }

    [Fact]
    public void Addresses_come_from_the_head_of_the_free_list_and_released_ones_go_to_its_tail()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        var first = block.AutoAssign(2, "h1", null, ReservationSet.None);
        Assert.Equal([0, 1], first);
        Assert.Equal("10.20.1.0/32", block.AddressAt(0).ToString());
        block.Release([0], 0, s_now);
        Assert.Equal([2, 3, 4, 5, 6, 7, 0], block.Data.Unallocated);
        // The longest-free address is reused first, not the one just released.
        Assert.Equal([2], block.AutoAssign(1, "h2", null, ReservationSet.None));
    }

    [Fact]
    public void Reserved_addresses_are_skipped_and_stay_free()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        var reservations = new ReservationSet([IpPrefix.Parse("10.20.1.0/31")]);
        Assert.Equal(6, block.NumFree(reservations));
        Assert.Equal(2, block.NumReserved(reservations));
        Assert.Equal([2, 3], block.AutoAssign(2, "h", null, reservations));
        Assert.Equal([0, 1, 4, 5, 6, 7], block.Data.Unallocated);
        Assert.Equal(0, block.NumFree(new ReservationSet([IpPrefix.Parse("10.20.0.0/16")])));
    }

    [Fact]
    public void Each_allocation_records_the_sequence_number_of_the_block_it_was_made_in()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        var start = block.Data.SequenceNumber;
        block.AutoAssign(1, "h1", null, ReservationSet.None);
        block.BumpSequence();
        block.AutoAssign(1, "h2", null, ReservationSet.None);
        Assert.Equal(start, block.SequenceFor(0));
        Assert.Equal(start + 1, block.SequenceFor(1));
        block.Release([0], 0, s_now);
        Assert.Equal(0UL, block.SequenceFor(0));
    }

    [Fact]
    public void Allocations_of_one_owner_share_an_attribute_and_unused_attributes_are_dropped()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        var attrs = new Dictionary<string, string> { ["node"] = "host-a", ["pod"] = "p" };
        block.AutoAssign(2, "h1", attrs, ReservationSet.None);
        block.AutoAssign(1, "h2", null, ReservationSet.None);
        Assert.Equal(2, block.Data.Attributes.Count);
        Assert.Equal([0, 0, 1], block.Data.Allocations.Take(3).Select(a => a!.Value));
        block.Release(block.OrdinalsOf("h1"), 0, s_now);
        Assert.Single(block.Data.Attributes);
        Assert.Equal("h2", block.Data.Attributes[0].HandleId);
        Assert.Equal(0, block.Data.Allocations[2]);
        Assert.Null(Block.Validate(block.Data, s_cidr));
    }

    [Fact]
    public void With_a_cooldown_a_released_address_is_held_until_the_cooldown_has_passed()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        block.AutoAssign(1, "h1", null, ReservationSet.None);
        block.Release([0], 60, s_now);
        Assert.False(block.IsEmpty);
        Assert.NotNull(block.AttributeAt(0)!.ReleasedAt);
        Assert.Empty(block.OrdinalsOf("h1"));
        Assert.False(block.CollectGarbage(60, s_now.AddSeconds(59)));
        Assert.True(block.CollectGarbage(60, s_now.AddSeconds(60)));
        Assert.True(block.IsEmpty);
        Assert.Equal(0, block.Data.Unallocated[^1]);
    }

    [Fact]
    public void Assigning_a_taken_address_names_its_holder()
    {
        var block = Block.New(s_cidr, "host-a", s_now);
        block.Assign(3, "net.c1", null);
        var e = Assert.Throws<IpamException>(() => block.Assign(3, "net.c2", null));
        Assert.Equal(IpamErrorCode.InUse, e.Code);
        Assert.Contains("net.c1", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(3, block.Data.Unallocated);
    }

    [Fact]
    public void A_block_written_by_Calico_reads_back_and_keeps_its_field_names()
    {
        // As libcalico-go's etcd backend stores model.AllocationBlock (two addresses held by one pod).
        const string calico = """
            {"cidr":"10.20.1.0/29","affinity":"host:node-1","affinity_claim_time":"2026-11-30T10:00:00Z",
             "allocations":[0,0,null,null,null,null,null,null],"unallocated":[2,3,4,5,6,7],
             "attributes":[{"handle_id":"k8s-pod-network.abc","secondary":{"namespace":"default","node":"node-1","pod":"web","timestamp":"2026-11-30 10:00:01 +0000 UTC"}}],
             "sequenceNumber":1733000000000000001,"sequenceNumberForAllocation":{"0":1733000000000000000,"1":1733000000000000000},"deleted":false}
            """;
        var block = Block.Parse("/calico/ipam/v2/assignment/ipv4/block/10.20.1.0-29", Encoding.UTF8.GetBytes(calico), 7);
        Assert.Equal("node-1", block.AffinityHost);
        Assert.Equal([0, 1], block.OrdinalsOf("k8s-pod-network.abc"));
        Assert.Equal(1733000000000000000UL, block.SequenceFor(1));

        var written = JsonNode.Parse(block.Serialize())!.AsObject();
        Assert.Equal(
            ["cidr", "affinity", "affinity_claim_time", "allocations", "unallocated", "attributes", "sequenceNumber", "sequenceNumberForAllocation", "deleted"],
            written.Select(p => p.Key));
        Assert.Equal("web", written["attributes"]![0]!["secondary"]!["pod"]!.GetValue<string>());
        Assert.Null(written["attributes"]![0]!["releasedAt"]);
    }

    [Fact]
    public void An_unowned_block_writes_its_affinity_as_null_as_Calico_does()
    {
        var written = JsonNode.Parse(Block.New(s_cidr, null, s_now).Serialize())!.AsObject();
        Assert.True(written.ContainsKey("affinity"));
        Assert.Null(written["affinity"]);
        Assert.False(written.ContainsKey("affinity_claim_time"));
    }

    [Theory]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[null],"unallocated":[0],"attributes":[]}""", "1 allocation slots for a block of 8")]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[3,null,null,null,null,null,null,null],"unallocated":[1,2,3,4,5,6,7],"attributes":[]}""", "nonexistent attribute 3")]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[null,null,null,null,null,null,null,null],"unallocated":[0,1,2,3,4,5,6,6],"attributes":[]}""", "more than once")]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[null,null,null,null,null,null,null,null],"unallocated":[0,1,2],"attributes":[]}""", "unallocated (3) + allocated (0) = 3")]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[0,null,null,null,null,null,null,null],"unallocated":[0,1,2,3,4,5,6,7],"attributes":[{}]}""", "allocated but appears in the unallocated list")]
    [InlineData("""{"cidr":"10.20.1.0/29","allocations":[null,null,null,null,null,null,null,null],"unallocated":[0,1,2,3,4,5,6,7],"attributes":[{}]}""", "not indexed by an allocation")]
    [InlineData("""{"cidr":"banana","allocations":[],"unallocated":[],"attributes":[]}""", "bad cidr")]
    [InlineData("""{"cidr":""", "not an IPAM block")]
    public void A_stored_block_that_is_inconsistent_is_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<IpamException>(() => Block.Parse("/k", Encoding.UTF8.GetBytes(json), 1));
        Assert.Equal(IpamErrorCode.Corrupt, e.Code);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
