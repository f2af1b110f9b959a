using System.Globalization;
using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Core.Addressing;
using Tabby.Datastore;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Blocks;
using Tabby.Ipam.Client;
using Tabby.Ipam.Errors;
using Tabby.Ipam.Model;
using Tabby.Ipam.Store;
using BlockAffinity = Tabby.Ipam.Model.BlockAffinity;

namespace Tabby.Ipam.Check;

/// <summary>Applies an <see cref="IpamReport"/>: releases leaked addresses, deletes leaked handles and bad affinities, fixes handle counts.</summary>
/// <remarks>
/// Every repair is guarded by what the report recorded, so state that moved on since the check is never
/// "repaired" back: a leaked address is released only if it is still the same allocation (address, handle
/// and sequence number), a handle or affinity is deleted only if it is still at the revision the report
/// saw. Whatever is skipped for that reason is listed with why, never dropped silently; a new check shows
/// what is left.
/// </remarks>
public sealed class IpamRepairer(IDatastore datastore, IpamOptions? options = null)
{
    private readonly IpamOptions _options = options ?? new IpamOptions();
    private readonly IpamStore _store = new(datastore);
    private readonly ResourceClient _resources = new(datastore);

    /// <summary>Repairs what the report lists, in a safe order: handle counts, leaked addresses, leaked handles, affinities.</summary>
    /// <exception cref="IpamException">Code InvalidRequest: the report is of another format or another datastore.</exception>
    public async Task<RepairResult> RepairAsync(IpamReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await CheckApplicableAsync(report, cancellationToken).ConfigureAwait(false);
        var result = new RepairResult { ReportRevision = report.Revision };
        var problems = report.Problems;

        // Counts first: a release then decrements a correct count (and deletes the handle when it empties).
        foreach (var p in problems.HandleCountMismatches)
            result.Actions.Add(await FixHandleAsync(p, "handleCountMismatch", cancellationToken).ConfigureAwait(false));
        foreach (var p in problems.MissingHandles)
            result.Actions.Add(await FixHandleAsync(p, "missingHandle", cancellationToken).ConfigureAwait(false));
        result.Actions.AddRange(await ReleaseLeakedAsync(problems.LeakedAddresses, cancellationToken).ConfigureAwait(false));
        foreach (var p in problems.LeakedHandles)
            result.Actions.Add(await DeleteLeakedHandleAsync(p, cancellationToken).ConfigureAwait(false));
        foreach (var p in problems.AffinitiesWithoutBlock)
            result.Actions.Add(await RepairAffinityAsync(p, "affinityWithoutBlock", cancellationToken).ConfigureAwait(false));
        foreach (var p in problems.StaleAffinities)
            result.Actions.Add(await RepairAffinityAsync(p, "staleAffinity", cancellationToken).ConfigureAwait(false));
        foreach (var p in problems.PendingAffinities)
            result.Actions.Add(await RepairAffinityAsync(p, "pendingAffinity", cancellationToken).ConfigureAwait(false));

        foreach (var p in problems.DuplicateAddresses)
        {
            var holders = p.Allocations.Select(a => $"block {a.Block}" + (a.Handle is null ? "" : $" (handle {a.Handle})")).Concat(p.Owners);
            result.Actions.Add(NotRepairable("duplicateAddress", p.Ip,
                $"held by {string.Join(", ", holders)}: decide which holder is wrong, remove its user, then release it with 'tabby ipam release --ip'"));
        }

        foreach (var p in problems.UnallocatedInUse)
            result.Actions.Add(NotRepairable("unallocatedInUse", p.Ip, $"used by {string.Join(", ", p.Owners)} without an allocation: recreate the user, or allocate the address to it"));
        foreach (var p in problems.OutsidePools)
            result.Actions.Add(NotRepairable("outsidePool", p.Ip, $"used by {string.Join(", ", p.Owners)}, in no active IP pool: add or enable a pool, or readdress the user"));
        foreach (var p in problems.InvalidBlocks)
            result.Actions.Add(NotRepairable("invalidBlock", p.Key, $"{p.Reason}: repair or delete the block by hand"));
        return result;
    }

    private async Task CheckApplicableAsync(IpamReport report, CancellationToken cancellationToken)
    {
        if (report.Format != IpamReport.CurrentFormat)
            throw new IpamException(IpamErrorCode.InvalidRequest, $"the report's format is '{report.Format}', not '{IpamReport.CurrentFormat}'");
        var revision = await datastore.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        if (report.Revision > revision)
            throw new IpamException(IpamErrorCode.InvalidRequest,
                $"the report was made at revision {report.Revision}, but {datastore.Endpoint} is only at {revision}: it is a report of another datastore");
        if (report.ClusterGuid is { Length: > 0 } reported)
        {
            var cluster = await _resources.GetAsync<ClusterInformation>("default", cancellationToken: cancellationToken).ConfigureAwait(false);
            if (cluster?.Spec.ClusterGuid is { Length: > 0 } current && current != reported)
                throw new IpamException(IpamErrorCode.InvalidRequest, $"the report is of cluster {reported}, but {datastore.Endpoint} is cluster {current}");
        }
    }

    /// <summary>Rewrites a handle to what the blocks hold for it now, if the handle is still as the report saw it.</summary>
    private async Task<RepairAction> FixHandleAsync(HandleProblem problem, string kind, CancellationToken cancellationToken)
    {
        var key = IpamKeys.Handle(problem.Id);
        for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            var current = await datastore.GetAsync(key, cancellationToken).ConfigureAwait(false);
            var currentRevision = current?.ModRevision ?? 0;
            if (currentRevision != problem.ModRevision)
            {
                return current is null
                    ? Act(kind, problem.Id, RepairOutcome.AlreadyRepaired, "the handle was deleted since the report")
                    : Act(kind, problem.Id, RepairOutcome.Skipped, problem.ModRevision == 0
                        ? $"the handle was created since the report (revision {currentRevision})"
                        : $"the handle changed since the report (revision {problem.ModRevision}, now {currentRevision})");
            }

            // Count again from the blocks as they are now: only the handle is held to the report.
            var guards = new List<Compare> { IpamStore.Unchanged(key, currentRevision) };
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var cidrText in problem.Actual.Keys.Concat(problem.Stored?.Keys.AsEnumerable() ?? []).Distinct(StringComparer.Ordinal))
            {
                if (!IpPrefix.TryParse(cidrText.AsSpan(), out var cidr, out _))
                    continue;
                Block? block;
                try
                {
                    block = await _store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
                }
                catch (IpamException e) when (e.Code == IpamErrorCode.Corrupt)
                {
                    return Act(kind, problem.Id, RepairOutcome.Failed, e.Message);
                }

                guards.Add(IpamStore.Unchanged(IpamKeys.Block(cidr), block?.ModRevision ?? 0));
                if (block?.OrdinalsOf(problem.Id).Count is > 0 and var n)
                    counts[cidrText] = n;
            }

            TxnOp op;
            string done;
            if (counts.Count == 0)
            {
                if (current is null)
                    return Act(kind, problem.Id, RepairOutcome.AlreadyRepaired, "the blocks no longer hold anything for it");
                op = TxnOp.Delete(key);
                done = "deleted: the blocks no longer hold anything for it";
            }
            else
            {
                op = TxnOp.Put(key, IpamStore.Encode(new IpamHandle { Block = counts }));
                done = (current is null ? "created with " : "set to ") + FormatCounts(counts);
            }

            var result = await datastore.TxnAsync(new TxnRequest { If = guards, Then = [op] }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
                return Act(kind, problem.Id, RepairOutcome.Repaired, done);
            // A block changed under the recount (or the handle did, which the next pass reports): again.
        }

        return Act(kind, problem.Id, RepairOutcome.Skipped, $"its blocks kept changing through {_options.MaxAttempts} attempts; check again");
    }

    private async Task<List<RepairAction>> ReleaseLeakedAsync(List<LeakedAddress> leaked, CancellationToken cancellationToken)
    {
        var actions = new List<RepairAction>();
        if (leaked.Count == 0)
            return actions;

        // Someone may have started using an address since the check (a CNI ADD that had allocated but not yet
        // written its endpoint): look again, and leave those alone.
        var endpoints = _resources.ListAsync<WorkloadEndpoint>(null, cancellationToken: cancellationToken);
        var nodes = _resources.ListAsync<Node>(cancellationToken: cancellationToken);
        await Task.WhenAll(endpoints, nodes).ConfigureAwait(false);
        var users = AddressUsers.Collect((await endpoints.ConfigureAwait(false)).Items, (await nodes.ConfigureAwait(false)).Items);

        var requests = new List<(LeakedAddress Leak, ReleaseRequest Request)>();
        foreach (var leak in leaked)
        {
            if (users.TryGetValue(leak.Ip, out var owners))
                actions.Add(Act("leakedAddress", leak.Ip, RepairOutcome.Skipped, $"used by {string.Join(", ", owners)} since the report"));
            else
                requests.Add((leak, new ReleaseRequest(leak.Ip, leak.Handle, leak.SequenceNumber)));
        }

        if (requests.Count == 0)
            return actions;
        IReadOnlyList<ReleaseResult> results;
        try
        {
            results = await new IpamClient(datastore, _options).ReleaseIpsAsync([.. requests.Select(r => r.Request)], cancellationToken).ConfigureAwait(false);
        }
        catch (IpamException e)
        {
            actions.AddRange(requests.Select(r => Act("leakedAddress", r.Leak.Ip, RepairOutcome.Failed, e.Message)));
            return actions;
        }

        for (var i = 0; i < requests.Count; i++)
        {
            var (leak, _) = requests[i];
            var what = $"sequence number {leak.SequenceNumber.ToString(CultureInfo.InvariantCulture)}" + (leak.Handle is null ? "" : $", handle {leak.Handle}");
            actions.Add(results[i].Outcome switch
            {
                ReleaseOutcome.Released => Act("leakedAddress", leak.Ip, RepairOutcome.Repaired, $"released ({what})"),
                ReleaseOutcome.NotAllocated => Act("leakedAddress", leak.Ip, RepairOutcome.AlreadyRepaired, "no longer allocated"),
                _ => Act("leakedAddress", leak.Ip, RepairOutcome.Skipped, $"not the allocation the report saw ({what}): {results[i].Reason}"),
            });
        }

        return actions;
    }

    private async Task<RepairAction> DeleteLeakedHandleAsync(HandleProblem problem, CancellationToken cancellationToken)
    {
        var key = IpamKeys.Handle(problem.Id);
        var result = await datastore.TxnAsync(new TxnRequest
        {
            If = [Compare.ModRevisionIs(key, problem.ModRevision)],
            Then = [TxnOp.Delete(key)],
            Else = [TxnOp.Get(key)],
        }, cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
            return Act("leakedHandle", problem.Id, RepairOutcome.Repaired, "deleted");
        return result.Results[0] is { } now
            ? Act("leakedHandle", problem.Id, RepairOutcome.Skipped, $"changed since the report (revision {problem.ModRevision}, now {now.ModRevision}): it may hold addresses again")
            : Act("leakedHandle", problem.Id, RepairOutcome.AlreadyRepaired, "already deleted");
    }

    /// <summary>Deletes a bad affinity, or confirms an unfinished claim whose block is the host's; only while the affinity is as the report saw it.</summary>
    private async Task<RepairAction> RepairAffinityAsync(AffinityProblem problem, string kind, CancellationToken cancellationToken)
    {
        var target = $"{problem.Host} → {problem.Block}";
        if (!IpPrefix.TryParse(problem.Block.AsSpan(), out var cidr, out _))
            return Act(kind, target, RepairOutcome.Failed, $"'{problem.Block}' is not a block CIDR");
        var affinityKey = IpamKeys.Affinity(problem.Host, cidr);
        var blockKey = IpamKeys.Block(cidr);
        for (var attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            var affinity = await datastore.GetAsync(affinityKey, cancellationToken).ConfigureAwait(false);
            if (affinity is null)
                return Act(kind, target, RepairOutcome.AlreadyRepaired, "the affinity was deleted since the report");
            if (affinity.ModRevision != problem.ModRevision)
                return Act(kind, target, RepairOutcome.Skipped, $"the affinity changed since the report (revision {problem.ModRevision}, now {affinity.ModRevision}): its host is using it");

            Block? block;
            try
            {
                block = await _store.GetBlockAsync(cidr, cancellationToken).ConfigureAwait(false);
            }
            catch (IpamException e) when (e.Code == IpamErrorCode.Corrupt)
            {
                return Act(kind, target, RepairOutcome.Failed, e.Message);
            }

            var guards = new List<Compare> { Compare.ModRevisionIs(affinityKey, affinity.ModRevision), IpamStore.Unchanged(blockKey, block?.ModRevision ?? 0) };
            List<TxnOp> ops;
            string done;
            if (block is not null && block.IsAffineTo(problem.Host))
            {
                // The block is the host's: the claim got as far as creating it (or a release stopped before deleting it).
                // Finish as the host's next allocation would, confirming it; the block is rewritten so anyone mid-way
                // through an operation on its old version loses their compare-and-swap.
                block.BumpSequence();
                ops = [TxnOp.Put(blockKey, block.Serialize()), TxnOp.Put(affinityKey, IpamStore.Encode(new BlockAffinity { State = AffinityState.Confirmed }))];
                done = "confirmed: the block is the host's";
            }
            else
            {
                ops = [TxnOp.Delete(affinityKey)];
                done = block is null ? "deleted: the block does not exist" : $"deleted: the block is affine to '{block.Data.Affinity ?? "nobody"}'";
            }

            var result = await datastore.TxnAsync(new TxnRequest { If = guards, Then = ops }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
                return Act(kind, target, RepairOutcome.Repaired, done);
        }

        return Act(kind, target, RepairOutcome.Skipped, $"its block kept changing through {_options.MaxAttempts} attempts; check again");
    }

    private static string FormatCounts(Dictionary<string, int> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}"));

    private static RepairAction NotRepairable(string kind, string target, string detail) => Act(kind, target, RepairOutcome.NotRepairable, detail);

    private static RepairAction Act(string kind, string target, RepairOutcome outcome, string detail) =>
        new() { Problem = kind, Target = target, Outcome = outcome, Detail = detail };

    /// <summary>Reads a report written by <c>tabby ipam check -o</c>.</summary>
    /// <exception cref="JsonException">It is not a report.</exception>
    public static IpamReport ReadReport(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, IpamCheckJsonContext.Default.IpamReport) ?? throw new JsonException("the report is empty (null)");

    /// <summary>The report as <c>tabby ipam check -o</c> writes it.</summary>
    public static byte[] WriteReport(IpamReport report) => JsonSerializer.SerializeToUtf8Bytes(report, IpamCheckJsonContext.Default.IpamReport);
}
