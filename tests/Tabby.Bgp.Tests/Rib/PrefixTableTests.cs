using Tabby.Bgp.Rib;
using Tabby.Core.Addressing;
using static Tabby.Bgp.Tests.Rib.RibFixtures;

namespace Tabby.Bgp.Tests.Rib;

public class PrefixTableTests
{
    [Fact]
    public void Added_keys_are_found_with_their_values_and_removed_ones_are_not()
    {
        var table = new PrefixTable<int>();
        var slot = table.GetOrAdd(P("10.0.0.0/8"), out var added);
        Assert.True(added);
        table.ValueAt(slot) = 7;
        Assert.Equal(slot, table.GetOrAdd(P("10.0.0.0/8"), out added));
        Assert.False(added);
        Assert.Equal(7, table.FindValue(P("10.0.0.0/8")));
        // Same address, other length: a different key.
        Assert.Equal(-1, table.Find(P("10.0.0.0/16")));
        Assert.True(table.Remove(P("10.0.0.0/8")));
        Assert.False(table.Remove(P("10.0.0.0/8")));
        Assert.Equal(0, table.Count);
        Assert.True(System.Runtime.CompilerServices.Unsafe.IsNullRef(ref table.FindValue(P("10.0.0.0/8"))));
    }

    [Fact]
    public void Removing_by_slot_unlinks_it_from_the_middle_of_a_chain_and_refuses_a_free_slot()
    {
        // 16 buckets: keys 16 apart in hash are not controllable, so fill enough keys that chains form, then remove every slot.
        var table = new PrefixTable<int>();
        var keys = Enumerable.Range(0, 64).Select(i => IpPrefix.V4(0x0A000000u + (uint)i, 32)).ToArray();
        var slots = keys.Select(k => table.GetOrAdd(k, out _)).ToArray();
        for (var i = 0; i < keys.Length; i += 2)
            table.RemoveAt(slots[i]);
        Assert.Equal(32, table.Count);
        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(i % 2 == 0 ? -1 : slots[i], table.Find(keys[i]));
        Assert.Throws<InvalidOperationException>(() => table.RemoveAt(slots[0]));
    }

    [Fact]
    public void Prefetching_is_only_a_hint_for_any_key_present_or_not()
    {
        var table = new PrefixTable<int>();
        table.PrefetchBucket(P("10.0.0.0/8"));
        table.PrefetchSlot(P("10.0.0.0/8"));
        var keys = Enumerable.Range(0, 5000).Select(i => IpPrefix.V4(0x0A000000u + (uint)i, 32)).ToArray();
        foreach (var key in keys)
        {
            table.PrefetchSlot(key);
            table.GetOrAdd(key, out _);
            table.PrefetchBucket(IpPrefix.Parse("2001:db8::/32"));
        }
        Assert.Equal(keys.Length, table.Count);
        Assert.All(keys, k => Assert.True(table.ContainsKey(k)));
    }

    [Fact]
    public void IPv4_and_IPv6_keys_with_the_same_bits_are_different()
    {
        var table = new PrefixTable<string>();
        table.ValueAt(table.GetOrAdd(IpPrefix.V4(0, 0), out _)) = "v4";
        table.ValueAt(table.GetOrAdd(IpPrefix.V6(0, 0), out _)) = "v6";
        Assert.Equal("v4", table.FindValue(P("0.0.0.0/0")));
        Assert.Equal("v6", table.FindValue(P("::/0")));
    }

    [Fact]
    public void Slots_stay_put_while_the_table_grows()
    {
        var table = new PrefixTable<int>();
        var first = table.GetOrAdd(P("192.0.2.0/24"), out _);
        table.ValueAt(first) = 42;
        for (var i = 0; i < 10_000; i++)
            table.ValueAt(table.GetOrAdd(IpPrefix.V4(0x0A000000u + (uint)i, 32), out _)) = i;
        Assert.Equal(first, table.Find(P("192.0.2.0/24")));
        Assert.Equal(42, table.ValueAt(first));
        Assert.Equal(10_001, table.Count);
    }

    [Fact]
    public void Removing_while_walking_the_slots_visits_every_key_once()
    {
        var table = new PrefixTable<int>();
        for (var i = 0; i < 1000; i++)
            table.GetOrAdd(IpPrefix.V4((uint)i << 8, 24), out _);
        var seen = new HashSet<IpPrefix>();
        for (var slot = table.Next(-1); slot >= 0; slot = table.Next(slot))
        {
            var key = table.KeyAt(slot);
            Assert.True(seen.Add(key));
            if (seen.Count % 2 == 0)
                table.Remove(key);
        }
        Assert.Equal(1000, seen.Count);
        Assert.Equal(500, table.Count);
    }

    [Fact]
    public void Random_adds_and_removes_agree_with_a_dictionary()
    {
        // Fixed seed; a narrow key space so removals, slot reuse and free-list chains happen often.
        var random = new Random(4271);
        var table = new PrefixTable<int>();
        var reference = new Dictionary<IpPrefix, int>();
        for (var step = 0; step < 200_000; step++)
        {
            var key = random.Next(4) == 0
                ? IpPrefix.V6((UInt128)random.Next(300) << 64, 64)
                : IpPrefix.V4((uint)random.Next(3000) << 4, 28);
            switch (random.Next(3))
            {
                case 0:
                    table.ValueAt(table.GetOrAdd(key, out var added)) = step;
                    Assert.Equal(!reference.ContainsKey(key), added);
                    reference[key] = step;
                    break;
                case 1 when step % 2 == 0:
                    Assert.Equal(reference.Remove(key), table.Remove(key));
                    break;
                case 1:
                    // By slot, as the Loc-RIB removes an emptied entry: no second lookup.
                    var found = table.Find(key);
                    Assert.Equal(reference.Remove(key), found >= 0);
                    if (found >= 0)
                        table.RemoveAt(found);
                    break;
                default:
                    var slot = table.Find(key);
                    Assert.Equal(reference.TryGetValue(key, out var value), slot >= 0);
                    if (slot >= 0)
                        Assert.Equal(value, table.ValueAt(slot));
                    break;
            }
            Assert.Equal(reference.Count, table.Count);
        }
        var walked = new Dictionary<IpPrefix, int>();
        for (var slot = table.Next(-1); slot >= 0; slot = table.Next(slot))
            walked.Add(table.KeyAt(slot), table.ValueAt(slot));
        Assert.Equal(reference.OrderBy(x => x.Key), walked.OrderBy(x => x.Key));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(3000)]
    public void Slots_stay_put_while_the_table_grows_over_many_chunks(int capacity)
    {
        var table = new PrefixTable<int>(capacity);
        var slots = new Dictionary<IpPrefix, int>();
        for (var i = 0; i < 10_000; i++)
        {
            var key = IpPrefix.V4(0x0A000000u + (uint)i, 32);
            var slot = table.GetOrAdd(key, out _);
            table.ValueAt(slot) = i;
            slots[key] = slot;
        }

        Assert.Equal(10_000, slots.Values.Distinct().Count());
        Assert.All(slots, kv => Assert.Equal(kv.Value, table.Find(kv.Key)));
        Assert.All(slots, kv => Assert.Equal((int)(kv.Key.V4Bits - 0x0A000000u), table.ValueAt(kv.Value)));
        var walked = 0;
        for (var slot = table.Next(-1); slot >= 0; slot = table.Next(slot))
            walked++;
        Assert.Equal(10_000, walked);
    }

    [Fact]
    public void Clear_empties_the_table_for_reuse()
    {
        var table = new PrefixTable<int>();
        for (var i = 0; i < 100; i++)
            table.GetOrAdd(IpPrefix.V4((uint)i, 32), out _);
        table.Remove(IpPrefix.V4(5, 32));
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Equal(-1, table.Next(-1));
        Assert.Equal(0, table.GetOrAdd(IpPrefix.V4(5, 32), out var added));
        Assert.True(added);
    }

    [Fact]
    public void Prefaulting_an_empty_table_changes_nothing_it_holds_and_a_full_one_keeps_its_entries()
    {
        var empty = new PrefixTable<int>(2048);
        empty.Prefault();
        Assert.Equal(0, empty.Count);
        Assert.Equal(-1, empty.Next(-1));

        var table = new PrefixTable<int>(64);
        for (var i = 0; i < 100; i++)
            table.ValueAt(table.GetOrAdd(IpPrefix.V4(0x0A000000u + (uint)i, 32), out _)) = i;
        // Called on a table with entries, it must not clear them: only an empty table's pages are written.
        table.Prefault();
        Assert.Equal(100, table.Count);
        for (var i = 0; i < 100; i++)
            Assert.Equal(i, table.FindValue(IpPrefix.V4(0x0A000000u + (uint)i, 32)));
    }

    [Fact]
    public void A_table_sized_up_front_grows_past_its_capacity_like_any_other()
    {
        var table = new PrefixTable<int>(2048);
        for (var i = 0; i < 5000; i++)
            table.ValueAt(table.GetOrAdd(IpPrefix.V4(0x0A000000u + (uint)i, 32), out _)) = i;
        Assert.Equal(5000, table.Count);
        Assert.Equal(4999, table.FindValue(IpPrefix.V4(0x0A000000u + 4999, 32)));
    }
}
