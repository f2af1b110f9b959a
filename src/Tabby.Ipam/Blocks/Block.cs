using System.Globalization;
using System.Text.Json;
using Tabby.Core.Addressing;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;

namespace Tabby.Ipam.Blocks;

/// <summary>A working copy of one stored block and the operations on it (Calico's allocationBlock).</summary>
/// <remarks>
/// Changes are made to this copy only; the caller persists it with a compare-and-swap on
/// <see cref="ModRevision"/> and throws the copy away on a conflict, so a failed write never leaves a
/// half-changed block behind in memory or in the store.
/// </remarks>
public sealed class Block
{
    /// <summary>An allocation with this handle is a placeholder that does not keep a block in use (Calico's Windows reservation).</summary>
    public const string WindowsReservedHandle = "windows-reserved-ipam-handle";

    private Block(AllocationBlock data, IpPrefix cidr, long modRevision)
    {
        Data = data;
        Cidr = cidr;
        ModRevision = modRevision;
    }

    /// <summary>The stored form.</summary>
    public AllocationBlock Data { get; }

    public IpPrefix Cidr { get; }

    /// <summary>The revision this copy was read at; 0 for a block not stored yet.</summary>
    public long ModRevision { get; }

    public int NumAddresses => Data.Allocations.Count;

    /// <summary>The host of a <c>host:</c> affinity, or null.</summary>
    public string? AffinityHost => Data.Affinity is { } a && a.StartsWith("host:", StringComparison.Ordinal) ? a[5..] : null;

    /// <summary>True when no address is allocated (released addresses in cooldown count as allocated, as in Calico).</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (var index in Data.Allocations)
            {
                if (index is { } i && Data.Attributes[i].HandleId is not WindowsReservedHandle)
                    return false;
            }

            return true;
        }
    }

    /// <summary>A new, empty block affine to <paramref name="host"/> (or to nobody).</summary>
    public static Block New(IpPrefix cidr, string? host, DateTimeOffset now)
    {
        var size = (int)IpamAddress.Count(cidr);
        var data = new AllocationBlock
        {
            Cidr = cidr.ToString(),
            Affinity = host is null ? null : "host:" + host,
            AffinityClaimTime = host is null ? null : IpamTime.Format(now),
            Allocations = [.. Enumerable.Repeat<int?>(null, size)],
            Unallocated = [.. Enumerable.Range(0, size)],
            // Unique across a block's deletion and re-creation, so an old allocation's number never matches a new one.
            SequenceNumber = (ulong)(now.ToUnixTimeMilliseconds() * 1_000_000),
            SequenceNumberForAllocation = [],
        };
        return new Block(data, cidr, 0);
    }

    /// <summary>Reads a stored block.</summary>
    /// <exception cref="IpamException">Code Corrupt: the value is not a well-formed block.</exception>
    public static Block Parse(string key, ReadOnlySpan<byte> value, long modRevision)
    {
        AllocationBlock? data;
        try
        {
            data = JsonSerializer.Deserialize(value, IpamJsonContext.Default.AllocationBlock);
        }
        catch (JsonException e)
        {
            throw new IpamException(IpamErrorCode.Corrupt, $"{key}: not an IPAM block: {e.Message}", e);
        }

        if (data is null || !IpPrefix.TryParse(data.Cidr.AsSpan(), out var cidr, out var error))
            throw new IpamException(IpamErrorCode.Corrupt, $"{key}: not an IPAM block: bad cidr '{data?.Cidr}'");
        data.Allocations ??= [];
        data.Unallocated ??= [];
        data.Attributes ??= [];
        if (data.Affinity is null && data.HostAffinity is { Length: > 0 } old)
            data.Affinity = "host:" + old;
        if (Validate(data, cidr) is { } problem)
            throw new IpamException(IpamErrorCode.Corrupt, $"{key}: invalid IPAM block: {problem}");
        return new Block(data, cidr, modRevision);
    }

    /// <summary>Why a stored block is inconsistent, or null when it is not (the checks of calicoctl ipam check).</summary>
    public static string? Validate(AllocationBlock data, IpPrefix cidr)
    {
        ArgumentNullException.ThrowIfNull(data);
        var size = IpamAddress.Count(cidr);
        if ((UInt128)(uint)data.Allocations.Count != size)
            return $"{data.Allocations.Count} allocation slots for a block of {size} addresses";
        var allocated = new bool[data.Allocations.Count];
        var usedAttributes = new bool[data.Attributes.Count];
        var count = 0;
        for (var o = 0; o < data.Allocations.Count; o++)
        {
            if (data.Allocations[o] is not { } index)
                continue;
            if (index < 0 || index >= data.Attributes.Count)
                return $"allocation {o} indexes a nonexistent attribute {index}";
            usedAttributes[index] = true;
            allocated[o] = true;
            count++;
        }

        for (var i = 0; i < usedAttributes.Length; i++)
        {
            if (!usedAttributes[i])
                return $"attribute index {i} exists but is not indexed by an allocation";
        }

        var free = new bool[data.Allocations.Count];
        foreach (var o in data.Unallocated)
        {
            if (o < 0 || o >= data.Allocations.Count)
                return $"ordinal {o} appears in the unallocated list but is out of the block";
            if (free[o])
                return $"ordinal {o} appears more than once in the unallocated list";
            if (allocated[o])
                return $"ordinal {o} is allocated but appears in the unallocated list";
            free[o] = true;
        }

        return data.Unallocated.Count + count == data.Allocations.Count
            ? null
            : $"expected {data.Allocations.Count} addresses in this block, but unallocated ({data.Unallocated.Count}) + allocated ({count}) = {data.Unallocated.Count + count}";
    }

    /// <summary>The stored bytes.</summary>
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(Data, IpamJsonContext.Default.AllocationBlock);

    /// <summary>A working copy of this one that shares nothing with it: what parsing the same bytes again would give, for far less.</summary>
    internal Block Copy()
    {
        var d = Data;
        var data = new AllocationBlock
        {
            Cidr = d.Cidr,
            Affinity = d.Affinity,
            AffinityClaimTime = d.AffinityClaimTime,
            Allocations = [.. d.Allocations],
            Unallocated = [.. d.Unallocated],
            Attributes = d.Attributes.ConvertAll(a => new AllocationAttribute
            {
                HandleId = a.HandleId,
                ActiveOwnerAttrs = a.ActiveOwnerAttrs is null ? null : new Dictionary<string, string>(a.ActiveOwnerAttrs, StringComparer.Ordinal),
                AlternateOwnerAttrs = a.AlternateOwnerAttrs is null ? null : new Dictionary<string, string>(a.AlternateOwnerAttrs, StringComparer.Ordinal),
                ReleasedAt = a.ReleasedAt,
            }),
            SequenceNumber = d.SequenceNumber,
            SequenceNumberForAllocation = d.SequenceNumberForAllocation is null ? null : new Dictionary<string, ulong>(d.SequenceNumberForAllocation, StringComparer.Ordinal),
            Deleted = d.Deleted,
            HostAffinity = d.HostAffinity,
        };
        return new Block(data, Cidr, ModRevision);
    }

    /// <summary>This block as stored by a write at <paramref name="modRevision"/> (sharing its data: the caller hands this copy over).</summary>
    internal Block StoredAt(long modRevision) => new(Data, Cidr, modRevision);

    /// <summary>True when the block is affine to <paramref name="host"/>.</summary>
    public bool IsAffineTo(string host) => AffinityHost == host;

    public IpPrefix AddressAt(int ordinal) => IpamAddress.Nth(Cidr, ordinal);

    /// <summary>The ordinal of an address in this block, or -1.</summary>
    public int OrdinalOf(IpPrefix address) => IpamAddress.OrdinalOf(Cidr, address);

    /// <summary>The sequence number recorded for an ordinal's allocation (0 when none: old data or free).</summary>
    public ulong SequenceFor(int ordinal) =>
        Data.SequenceNumberForAllocation?.GetValueOrDefault(ordinal.ToString(CultureInfo.InvariantCulture)) ?? 0;

    /// <summary>The attribute an allocated ordinal points at, or null when it is free.</summary>
    public AllocationAttribute? AttributeAt(int ordinal) =>
        Data.Allocations[ordinal] is { } index ? Data.Attributes[index] : null;

    /// <summary>Free addresses not covered by a reservation.</summary>
    public int NumFree(ReservationSet reservations)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        if (reservations.MatchesWhole(Cidr))
            return 0;
        if (!reservations.MatchesSome(Cidr))
            return Data.Unallocated.Count;
        var free = 0;
        foreach (var o in Data.Unallocated)
        {
            if (!reservations.MatchesAddress(AddressAt(o)))
                free++;
        }

        return free;
    }

    /// <summary>Addresses of this block covered by a reservation.</summary>
    public int NumReserved(ReservationSet reservations)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        if (reservations.MatchesWhole(Cidr))
            return NumAddresses;
        if (!reservations.MatchesSome(Cidr))
            return 0;
        var n = 0;
        for (var o = 0; o < NumAddresses; o++)
        {
            if (reservations.MatchesAddress(AddressAt(o)))
                n++;
        }

        return n;
    }

    /// <summary>Takes up to <paramref name="count"/> free, unreserved addresses from the head of the free list.</summary>
    /// <returns>The ordinals taken, in order.</returns>
    public List<int> AutoAssign(int count, string? handleId, IReadOnlyDictionary<string, string>? attributes, ReservationSet reservations)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        var taken = new List<int>(Math.Min(count, Data.Unallocated.Count));
        if (count <= 0)
            return taken;
        var kept = new List<int>(Data.Unallocated.Count);
        int? attributeIndex = null;
        foreach (var ordinal in Data.Unallocated)
        {
            if (taken.Count >= count || reservations.MatchesAddress(AddressAt(ordinal)))
            {
                kept.Add(ordinal);
                continue;
            }

            attributeIndex ??= FindOrAddAttribute(handleId, attributes);
            Data.Allocations[ordinal] = attributeIndex;
            SetSequence(ordinal);
            taken.Add(ordinal);
        }

        Data.Unallocated = kept;
        return taken;
    }

    /// <summary>Allocates one specific ordinal.</summary>
    /// <exception cref="IpamException">Code InUse: it is already allocated (or cooling down after a release).</exception>
    public void Assign(int ordinal, string? handleId, IReadOnlyDictionary<string, string>? attributes)
    {
        if (Data.Allocations[ordinal] is { } existing)
        {
            var attr = Data.Attributes[existing];
            var why = attr.ReleasedAt is not null ? "was released and is cooling down" : $"is already allocated to handle '{attr.HandleId}'";
            throw new IpamException(IpamErrorCode.InUse, $"{AddressAt(ordinal).Address} {why}");
        }

        Data.Allocations[ordinal] = FindOrAddAttribute(handleId, attributes);
        SetSequence(ordinal);
        Data.Unallocated.Remove(ordinal);
    }

    /// <summary>Releases allocated ordinals: they cool down, then return to the free list (at once with no cooldown).</summary>
    public void Release(IReadOnlyCollection<int> ordinals, int cooldownSeconds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ordinals);
        if (ordinals.Count == 0)
            return;
        var released = Data.Attributes.Count;
        Data.Attributes.Add(new AllocationAttribute { ReleasedAt = IpamTime.Format(now) });
        foreach (var ordinal in ordinals)
        {
            Data.Allocations[ordinal] = released;
            SetSequence(ordinal);
        }

        CollectGarbage(cooldownSeconds, now);
    }

    /// <summary>The ordinals a handle holds (not those cooling down).</summary>
    public List<int> OrdinalsOf(string handleId, ulong? sequenceNumber = null)
    {
        var ordinals = new List<int>();
        for (var o = 0; o < NumAddresses; o++)
        {
            if (AttributeAt(o) is { ReleasedAt: null } attr && SanitizeHandle(attr.HandleId) == handleId
                && (sequenceNumber is null || sequenceNumber == SequenceFor(o)))
                ordinals.Add(o);
        }

        return ordinals;
    }

    /// <summary>Moves addresses whose cooldown has passed back to the free list and drops unreferenced attributes.</summary>
    /// <returns>True when anything changed.</returns>
    public bool CollectGarbage(int cooldownSeconds, DateTimeOffset now)
    {
        var changed = false;
        var used = new bool[Data.Attributes.Count];
        var threshold = now.AddSeconds(-cooldownSeconds);
        for (var o = 0; o < NumAddresses; o++)
        {
            if (Data.Allocations[o] is not { } index)
                continue;
            var releasedAt = Data.Attributes[index].ReleasedAt;
            // An unparsable timestamp cannot be aged; free it rather than hold the address forever.
            if (releasedAt is not null && (cooldownSeconds <= 0 || IpamTime.Parse(releasedAt) is not { } at || at <= threshold))
            {
                Data.Allocations[o] = null;
                Data.Unallocated.Add(o);
                Data.SequenceNumberForAllocation?.Remove(o.ToString(CultureInfo.InvariantCulture));
                changed = true;
            }
            else
            {
                used[index] = true;
            }
        }

        if (Array.TrueForAll(used, u => u))
            return changed;

        // Renumber the surviving attributes and the allocations that point at them.
        var newIndex = new int[used.Length];
        var kept = new List<AllocationAttribute>();
        for (var i = 0; i < used.Length; i++)
        {
            if (used[i])
            {
                newIndex[i] = kept.Count;
                kept.Add(Data.Attributes[i]);
            }
        }

        for (var o = 0; o < NumAddresses; o++)
        {
            if (Data.Allocations[o] is { } index)
                Data.Allocations[o] = newIndex[index];
        }

        Data.Attributes = kept;
        return true;
    }

    /// <summary>Marks a new version of the block; every write does this (allocations recorded the number before it).</summary>
    public void BumpSequence() => Data.SequenceNumber++;

    /// <summary>Handle ids can carry a trailing "\r..." from old Windows clients; Calico compares without it.</summary>
    public static string? SanitizeHandle(string? handleId) =>
        handleId is null ? null : handleId.Split('\r')[0];

    private void SetSequence(int ordinal)
    {
        Data.SequenceNumberForAllocation ??= [];
        Data.SequenceNumberForAllocation[ordinal.ToString(CultureInfo.InvariantCulture)] = Data.SequenceNumber;
    }

    private int FindOrAddAttribute(string? handleId, IReadOnlyDictionary<string, string>? attributes)
    {
        for (var i = 0; i < Data.Attributes.Count; i++)
        {
            var a = Data.Attributes[i];
            if (a.HandleId == handleId && a.ReleasedAt is null && a.AlternateOwnerAttrs is null && SameAttributes(a.ActiveOwnerAttrs, attributes))
                return i;
        }

        Data.Attributes.Add(new AllocationAttribute
        {
            HandleId = handleId,
            ActiveOwnerAttrs = attributes is null ? null : new Dictionary<string, string>(attributes, StringComparer.Ordinal),
        });
        return Data.Attributes.Count - 1;
    }

    private static bool SameAttributes(Dictionary<string, string>? stored, IReadOnlyDictionary<string, string>? wanted)
    {
        if (stored is null || wanted is null)
            return (stored?.Count ?? 0) == 0 && (wanted?.Count ?? 0) == 0 && (stored is null) == (wanted is null);
        if (stored.Count != wanted.Count)
            return false;
        foreach (var (k, v) in wanted)
        {
            if (!stored.TryGetValue(k, out var s) || s != v)
                return false;
        }

        return true;
    }
}
