using System.CommandLine;
using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Cli.Resources;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;

namespace Tabby.Cli.Ipam;

/// <summary>`tabby ipam release --ip ADDR... [--force] | --from-report FILE [-o table|json]`: frees addresses, or repairs what a check report found.</summary>
public static class ReleaseCommand
{
    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var ip = new Option<string[]>("--ip") { Description = "An address to release (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force") { Description = "Release an address even though a workload endpoint or node uses it" };
        var fromReport = new Option<string>("--from-report") { Description = "Repair what a report of 'tabby ipam check -o FILE' found", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "table or json", Arity = ArgumentArity.ZeroOrOne };
        var stray = ResourceCommands.StrayArgument();
        var command = new Command("release", "Release addresses, or repair what an IPAM check report found") { ip, force, fromReport, output, stray };
        command.SetAction((result, token) => IpamRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            if (context.ParseResult.GetValue(stray) is [var first, ..])
                throw new CliUsageException($"unexpected argument '{first}' (see 'tabby ipam release --help')");
            var format = IpamRunner.Format(context, output);
            var addresses = context.Value(ip) ?? [];
            var report = context.Value(fromReport);
            if ((addresses.Length > 0) == (report is not null))
                throw new CliUsageException("give --ip ADDR or --from-report FILE (one of them)");
            if (report is not null)
                return await RepairAsync(context, report, format, ct).ConfigureAwait(false);
            foreach (var a in addresses)
            {
                if (!IpamAddress.TryParse(a, out _, out var error))
                    throw new CliUsageException($"--ip: {error}");
            }

            return await ReleaseAsync(context, addresses, context.Value(force), format, ct).ConfigureAwait(false);
        }, token));
        return command;
    }

    private static async Task<int> ReleaseAsync(CommandContext context, string[] addresses, bool force, string format, CancellationToken ct)
    {
        var store = context.OpenExistingStore();
        await using (store.Datastore.ConfigureAwait(false))
        {
            if (!force && await UsedAsync(store, addresses, ct).ConfigureAwait(false) is { Count: > 0 } used)
            {
                foreach (var (address, users) in used)
                    await context.Error.WriteLineAsync($"{address} is used by {string.Join(", ", users)}: releasing it would hand it out twice (--force releases it anyway)").ConfigureAwait(false);
                return ExitCodes.Conflict;
            }

            var results = await new IpamClient(store.Datastore).ReleaseIpsAsync([.. addresses.Select(a => new ReleaseRequest(a))], ct).ConfigureAwait(false);
            if (format == "json")
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(results.ToList(), IpamCliJsonContext.Default.ListReleaseResult)).ConfigureAwait(false);
            }
            else
            {
                foreach (var r in results)
                {
                    var line = r.Outcome == ReleaseOutcome.Released ? $"released {r.Address}" : $"{r.Address} is not allocated";
                    await (r.Outcome == ReleaseOutcome.Released ? context.Output : context.Error).WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            return results.All(r => r.Outcome == ReleaseOutcome.Released) ? ExitCodes.Ok : ExitCodes.NotFound;
        }
    }

    private static async Task<List<(string Address, List<string> Users)>> UsedAsync(ResourceClient store, string[] addresses, CancellationToken ct)
    {
        var endpoints = store.ListAsync<WorkloadEndpoint>(null, cancellationToken: ct);
        var nodes = store.ListAsync<Api.Resources.Node>(cancellationToken: ct);
        await Task.WhenAll(endpoints, nodes).ConfigureAwait(false);
        var users = AddressUsers.Collect((await endpoints.ConfigureAwait(false)).Items, (await nodes.ConfigureAwait(false)).Items);
        return [.. addresses.Select(a => AddressUsers.Normalize(a)!).Where(users.ContainsKey).Select(a => (a, users[a]))];
    }

    private static async Task<int> RepairAsync(CommandContext context, string path, string format, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--from-report {path}: {e.Message}", e);
        }

        IpamReport report;
        try
        {
            report = IpamRepairer.ReadReport(bytes);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: not an IPAM check report: {e.Message}", e);
        }

        var store = context.OpenExistingStore();
        RepairResult result;
        await using (store.Datastore.ConfigureAwait(false))
        {
            result = await new IpamRepairer(store.Datastore).RepairAsync(report, ct).ConfigureAwait(false);
        }

        if (format == "json")
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, IpamCheckJsonContext.Default.RepairResult)).ConfigureAwait(false);
        }
        else
        {
            var o = context.Output;
            await o.WriteLineAsync($"Applying the report of revision {report.Revision} ({report.CheckedAt}): {report.Summary.Problems} problems.").ConfigureAwait(false);
            foreach (var a in result.Actions)
                await o.WriteLineAsync($"  {a.Problem} {a.Target}: {Word(a.Outcome)}: {a.Detail}").ConfigureAwait(false);
            await o.WriteLineAsync(
                $"Repaired {result.Count(RepairOutcome.Repaired)}, already repaired {result.Count(RepairOutcome.AlreadyRepaired)}, "
                + $"skipped {result.Count(RepairOutcome.Skipped)} (changed since the report), failed {result.Count(RepairOutcome.Failed)}, "
                + $"left for a person {result.Count(RepairOutcome.NotRepairable)}.").ConfigureAwait(false);
            if (result.Count(RepairOutcome.Skipped) > 0)
                await o.WriteLineAsync("The datastore moved on since the report: run 'tabby ipam check' again for what is left.").ConfigureAwait(false);
        }

        if (result.Count(RepairOutcome.Failed) > 0 || result.Count(RepairOutcome.NotRepairable) > 0)
            return ExitCodes.SomeFailed;
        return result.Count(RepairOutcome.Skipped) > 0 ? ExitCodes.Conflict : ExitCodes.Ok;
    }

    private static string Word(RepairOutcome outcome) => outcome switch
    {
        RepairOutcome.Repaired => "repaired",
        RepairOutcome.AlreadyRepaired => "already repaired",
        RepairOutcome.Skipped => "skipped",
        RepairOutcome.Failed => "FAILED",
        _ => "left for a person",
    };
}
