using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Model;
using Tabby.Ipam.Pools;
using Tabby.Ipam.Store;
using BlockAffinity = Tabby.Ipam.Model.BlockAffinity;

namespace Tabby.Ipam.Check;

/// <summary>Cross-checks blocks, handles, affinities, pools, workload endpoints and nodes at one revision (calicoctl's <c>ipam check</c>).</summary>
/// <remarks>
/// Everything is listed at the revision of the first listing, so the report describes one state of the
/// datastore even while hosts keep allocating: every IPAM change is one transaction, so no half-made change
/// is ever seen. What changed after that revision is not in the report, and <see cref="IpamRepairer"/>
/// guards each repair by what the report recorded.
/// </remarks>
public sealed class IpamChecker(IDatastore datastore, IpamCheckOptions? options = null)
{
    private readonly IpamStore _store = new(datastore);
    private readonly ResourceClient _resources = new(datastore);
    private readonly IpamCheckOptions _options = options ?? new IpamCheckOptions();

    /// <summary>Reads everything at one revision and reports every allocation and every problem found.</summary>
    /// <exception cref="DatastoreException">The datastore failed (a compaction racing the listings shows as <see cref="DatastoreCompactedException"/>: run it again).</exception>
    public async Task<IpamReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var now = _options.Time.GetUtcNow();
        // The block listing fixes the revision; every other listing reads at it.
        var blockList = await datastore.ListAllAsync(IpamKeys.BlockPrefix(null), cancellationToken: cancellationToken).ConfigureAwait(false);
        var revision = blockList.Revision;
        var handlesTask = _store.ListHandlesAsync(revision, cancellationToken);
        var affinitiesTask = datastore.ListAllAtAsync(IpamKeys.HostPrefix, revision, cancellationToken: cancellationToken);
        var poolsTask = _resources.ListAsync<IPPool>(null, revision, cancellationToken);
        var endpointsTask = _resources.ListAsync<WorkloadEndpoint>(null, revision, cancellationToken);
        var nodesTask = _resources.ListAsync<Node>(null, revision, cancellationToken);
        var clusterTask = _resources.GetAsync<ClusterInformation>("default", cancellationToken: cancellationToken);
        await Task.WhenAll(handlesTask, affinitiesTask, poolsTask, endpointsTask, nodesTask, clusterTask).ConfigureAwait(false);

        var report = new IpamReport
        {
            Revision = revision,
            CheckedAt = IpamTime.Format(now),
            ClusterGuid = (await clusterTask.ConfigureAwait(false))?.Spec.ClusterGuid,
            LeakGraceSeconds = (int)Math.Ceiling(_options.LeakGrace.TotalSeconds),
        };
        var problems = report.Problems;

        var blocks = ParseBlocks(blockList.Items, now, problems.InvalidBlocks);
        var pools = PoolSet.From((await poolsTask.ConfigureAwait(false)).Items);
        report.Notes.AddRange(pools.Problems);
        var endpoints = (await endpointsTask.ConfigureAwait(false)).Items;
        var nodes = (await nodesTask.ConfigureAwait(false)).Items;
        var users = AddressUsers.Collect(endpoints, nodes, report.Notes);

        // Allocations, by address; handle counts as the blocks see them.
        var byAddress = new SortedDictionary<IpPrefix, List<ReportAllocation>>();
        var actualCounts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var block in blocks)
            RecordBlock(block, now, users, byAddress, actualCounts);

        foreach (var list in byAddress.Values)
            report.Allocations.AddRange(list);
        FindAddressProblems(byAddress, users, pools, problems);
        var handles = await handlesTask.ConfigureAwait(false);
        FindHandleProblems(handles, actualCounts, problems, report.Notes);
        var affinities = (await affinitiesTask.ConfigureAwait(false)).Items;
        FindAffinityProblems(affinities, blocks, problems, report.Notes);

        var summary = report.Summary;
        summary.Blocks = blockList.Items.Count;
        summary.Allocations = report.Allocations.Count;
        summary.InUseAddresses = users.Count;
        summary.CoolingDown = report.Allocations.Count(a => a.CoolingDown);
        summary.InFlight = report.Allocations.Count(a => a.InFlight);
        summary.Borrowed = report.Allocations.Count(a => a.Borrowed);
        summary.Handles = handles.Count;
        summary.Affinities = affinities.Count;
        summary.ActivePools = pools.All.Count(p => !p.Disabled);
        summary.WorkloadEndpoints = endpoints.Count;
        summary.Nodes = nodes.Count;
        summary.Problems = problems.Count;
        return report;
    }

    private static List<Block> ParseBlocks(IReadOnlyList<KeyValue> items, DateTimeOffset now, List<InvalidBlock> invalid)
    {
        var blocks = new List<Block>(items.Count);
        foreach (var kv in items)
        {
            string? reason;
            Block? block = null;
            try
            {
                block = Block.Parse(kv.Key, kv.Value, kv.ModRevision);
                reason = FutureRelease(block, now);
            }
            catch (Errors.IpamException e)
            {
                // Block.Parse names the key; the report has its own field for it.
                reason = e.Message.StartsWith(kv.Key + ": ", StringComparison.Ordinal) ? e.Message[(kv.Key.Length + 2)..] : e.Message;
            }

            if (reason is null && block is not null)
            {
                blocks.Add(block);
                continue;
            }

            invalid.Add(new InvalidBlock
            {
                Key = kv.Key,
                Block = IpamKeys.TryParseBlock(kv.Key, out var cidr) ? cidr.ToString() : null,
                Reason = reason ?? "unreadable",
                ModRevision = kv.ModRevision,
            });
        }

        return blocks;
    }

    /// <summary>calicoctl's one check that needs a clock: a release stamped in the future means the releasing host's clock is wrong.</summary>
    private static string? FutureRelease(Block block, DateTimeOffset now)
    {
        // A second of slack: timestamps are stored in whole seconds.
        for (var i = 0; i < block.Data.Attributes.Count; i++)
        {
            if (IpamTime.Parse(block.Data.Attributes[i].ReleasedAt) is { } at && at > now.AddSeconds(1))
                return $"attribute index {i} has releasedAt {block.Data.Attributes[i].ReleasedAt} in the future, suggesting clock skew";
        }

        return null;
    }

    private void RecordBlock(
        Block block, DateTimeOffset now, Dictionary<string, List<string>> users,
        SortedDictionary<IpPrefix, List<ReportAllocation>> byAddress, Dictionary<string, Dictionary<string, int>> actualCounts)
    {
        var cidr = block.Cidr.ToString();
        var blockHost = block.AffinityHost;
        for (var ordinal = 0; ordinal < block.NumAddresses; ordinal++)
        {
            if (block.AttributeAt(ordinal) is not { } attribute)
                continue;
            var address = block.AddressAt(ordinal);
            var ip = address.Address.ToString();
            var owners = users.TryGetValue(ip, out var list) ? [.. list] : new List<string>();
            var handle = Block.SanitizeHandle(attribute.HandleId);
            if (handle == Block.WindowsReservedHandle)
            {
                // A placeholder that keeps the address out of use; it is nobody's allocation to leak.
                owners.Add("Reserved for Windows");
                handle = null;
            }
            else if (handle is not null && attribute.ReleasedAt is null)
            {
                if (!actualCounts.TryGetValue(handle, out var counts))
                    actualCounts[handle] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
                counts[cidr] = counts.GetValueOrDefault(cidr) + 1;
            }

            var attrs = attribute.ActiveOwnerAttrs;
            var node = attrs?.GetValueOrDefault("node") is { Length: > 0 } n ? n : blockHost;
            var allocation = new ReportAllocation
            {
                Ip = ip,
                Block = cidr,
                Ordinal = ordinal,
                SequenceNumber = block.SequenceFor(ordinal),
                Handle = handle,
                Node = node,
                Pod = Attr(attrs, "pod"),
                Namespace = Attr(attrs, "namespace"),
                Type = Attr(attrs, "type"),
                Timestamp = Attr(attrs, "timestamp"),
                BlockHost = blockHost,
                Borrowed = (node ?? "") != (blockHost ?? ""),
                CoolingDown = attribute.ReleasedAt is not null,
                Owners = owners,
            };
            allocation.InUse = owners.Count > 0;
            allocation.InFlight = !allocation.InUse && !allocation.CoolingDown && IsRecent(allocation.Timestamp, now);
            if (!byAddress.TryGetValue(address, out var atAddress))
                byAddress[address] = atAddress = [];
            atAddress.Add(allocation);
        }
    }

    private bool IsRecent(string? timestamp, DateTimeOffset now) =>
        _options.LeakGrace > TimeSpan.Zero && IpamTime.Parse(timestamp) is { } at && now - at < _options.LeakGrace;

    private static string? Attr(Dictionary<string, string>? attrs, string key) =>
        attrs?.GetValueOrDefault(key) is { Length: > 0 } value ? value : null;

    private static void FindAddressProblems(
        SortedDictionary<IpPrefix, List<ReportAllocation>> byAddress, Dictionary<string, List<string>> users, PoolSet pools, ReportProblems problems)
    {
        foreach (var (_, allocations) in byAddress)
        {
            var owners = allocations[0].Owners.Where(o => o != "Reserved for Windows").ToList();
            if (allocations.Count > 1 || owners.Count > 1)
            {
                problems.DuplicateAddresses.Add(new DuplicateAddress
                {
                    Ip = allocations[0].Ip,
                    Allocations = [.. allocations.Select(a => new AllocationRef { Block = a.Block, Handle = a.Handle, SequenceNumber = a.SequenceNumber })],
                    Owners = owners,
                });
            }

            foreach (var a in allocations)
            {
                if (!a.InUse && !a.CoolingDown && !a.InFlight)
                {
                    problems.LeakedAddresses.Add(new LeakedAddress
                    {
                        Ip = a.Ip, Block = a.Block, Handle = a.Handle, SequenceNumber = a.SequenceNumber, Node = a.Node, Namespace = a.Namespace, Pod = a.Pod,
                    });
                }
            }
        }

        var allocated = new HashSet<string>(byAddress.Values.Select(l => l[0].Ip), StringComparer.Ordinal);
        foreach (var (ip, owners) in users.OrderBy(u => IpamAddressOrder(u.Key)))
        {
            if (owners.Count > 1 && !allocated.Contains(ip))
                problems.DuplicateAddresses.Add(new DuplicateAddress { Ip = ip, Owners = [.. owners] });
            if (allocated.Contains(ip))
                continue;
            var entry = new UnallocatedAddress { Ip = ip, Owners = [.. owners] };
            var parsed = IpPrefix.Host(System.Net.IPAddress.Parse(ip));
            if (pools.EnabledContaining(parsed) is not null)
                problems.UnallocatedInUse.Add(entry);
            else
                problems.OutsidePools.Add(entry);
        }
    }

    private static IpPrefix IpamAddressOrder(string ip) => IpPrefix.Host(System.Net.IPAddress.Parse(ip));

    private static void FindHandleProblems(
        List<(string HandleId, string Key, long ModRevision, IpamHandle? Handle)> handles,
        Dictionary<string, Dictionary<string, int>> actualCounts, ReportProblems problems, List<string> notes)
    {
        var invalid = new HashSet<string>(problems.InvalidBlocks.Select(b => b.Block ?? ""), StringComparer.Ordinal);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, _, modRevision, handle) in handles.OrderBy(h => h.HandleId, StringComparer.Ordinal))
        {
            stored.Add(id);
            var actual = actualCounts.GetValueOrDefault(id);
            var storedCounts = handle?.Block.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            if (storedCounts?.Keys.FirstOrDefault(invalid.Contains) is { } unreadable)
            {
                // Its allocations there cannot be counted: neither leaked nor wrong as far as anyone can tell.
                notes.Add($"handle {id} counts addresses in invalid block {unreadable}; not checked");
                continue;
            }

            var problem = new HandleProblem { Id = id, ModRevision = modRevision, Stored = storedCounts, Actual = Sorted(actual) };
            if (actual is null)
                problems.LeakedHandles.Add(problem);
            else if (storedCounts is null || !SameCounts(storedCounts, actual))
                problems.HandleCountMismatches.Add(problem);
        }

        foreach (var (id, actual) in actualCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!stored.Contains(id))
                problems.MissingHandles.Add(new HandleProblem { Id = id, ModRevision = 0, Stored = null, Actual = Sorted(actual) });
        }
    }

    private static Dictionary<string, int> Sorted(Dictionary<string, int>? counts) =>
        counts is null ? [] : counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private static bool SameCounts(Dictionary<string, int> a, Dictionary<string, int> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static void FindAffinityProblems(IReadOnlyList<KeyValue> affinities, List<Block> blocks, ReportProblems problems, List<string> notes)
    {
        var byCidr = blocks.ToDictionary(b => b.Cidr);
        var invalid = new HashSet<string>(problems.InvalidBlocks.Select(b => b.Block ?? ""), StringComparer.Ordinal);
        foreach (var kv in affinities)
        {
            if (!IpamKeys.TryParseAffinity(kv.Key, out var host, out var cidr))
            {
                notes.Add($"{kv.Key}: not an affinity key; ignored");
                continue;
            }

            BlockAffinity? affinity;
            try
            {
                affinity = System.Text.Json.JsonSerializer.Deserialize(kv.Value, IpamJsonContext.Default.BlockAffinity);
            }
            catch (System.Text.Json.JsonException)
            {
                affinity = null;
            }

            var block = byCidr.GetValueOrDefault(cidr);
            var entry = new AffinityProblem
            {
                Host = host,
                Block = cidr.ToString(),
                State = affinity is null ? "unreadable" : affinity.State ?? "",
                ModRevision = kv.ModRevision,
                BlockExists = block is not null || invalid.Contains(cidr.ToString()),
                BlockAffinity = block?.Data.Affinity,
            };
            if (block is not null && !block.IsAffineTo(host))
                problems.StaleAffinities.Add(entry);
            else if (affinity is null || !AffinityState.IsConfirmed(affinity.State))
                problems.PendingAffinities.Add(entry);
            else if (!entry.BlockExists)
                problems.AffinitiesWithoutBlock.Add(entry);
        }
    }
}
