using System.CommandLine;
using System.Text.Json;
using Tabby.Api.Resources;
using Tabby.Cli.Resources;
using Tabby.Datastore.Resources;
using Tabby.Ipam.Addressing;
using Tabby.Ipam.Check;
using Tabby.Ipam.Client;
using Tabby.Ipam.Usage;

namespace Tabby.Cli.Ipam;

/// <summary>`tabby ipam show [--show-blocks] [--ip ADDR] [-o table|json]`: address usage per pool and block, or who holds one address.</summary>
public static class ShowCommand
{
    private static readonly string[] s_headers = ["GROUPING", "CIDR", "NAME", "IPS TOTAL", "IPS IN USE", "IPS RESERVED", "IPS FREE"];

    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var blocks = new Option<bool>("--show-blocks") { Description = "Also list every block (with the host it is affine to)" };
        var ip = new Option<string>("--ip") { Description = "Show who holds this address instead", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "table or json", Arity = ArgumentArity.ZeroOrOne };
        var stray = ResourceCommands.StrayArgument();
        var command = new Command("show", "Show address usage per IP pool and block, or who holds an address") { blocks, ip, output, stray };
        command.SetAction((result, token) => IpamRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            if (context.ParseResult.GetValue(stray) is [var first, ..])
                throw new CliUsageException($"unexpected argument '{first}' (see 'tabby ipam show --help')");
            var format = IpamRunner.Format(context, output);
            var address = context.Value(ip);
            if (address is not null && !IpamAddress.TryParse(address, out _, out var error))
                throw new CliUsageException($"--ip: {error}");
            var store = context.OpenExistingStore();
            await using (store.Datastore.ConfigureAwait(false))
            {
                if (address is not null)
                    return await ShowAddressAsync(context, store, address, format, ct).ConfigureAwait(false);
                var usage = await new UsageReader(store.Datastore).ReadAsync(ct).ConfigureAwait(false);
                if (format == "json")
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(usage, UsageJsonContext.Default.UsageReport)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                await WriteUsageAsync(context, usage, context.Value(blocks)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        }, token));
        return command;
    }

    private static async Task WriteUsageAsync(CommandContext context, UsageReport usage, bool showBlocks)
    {
        foreach (var problem in usage.Problems)
            await context.Error.WriteLineAsync(problem).ConfigureAwait(false);
        if (usage.Pools.Count == 0 && usage.OrphanedBlocks.Count == 0)
        {
            await context.Error.WriteLineAsync("no IP pools").ConfigureAwait(false);
            return;
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var pool in usage.Pools)
        {
            rows.Add(Row(pool.Disabled ? "IP Pool (disabled)" : "IP Pool", pool.Cidr, pool.Name, pool.Capacity, pool.InUse, pool.Reserved, pool.Available));
            if (showBlocks)
                rows.AddRange(pool.Blocks.Select(b => Row("Block", b.Cidr, b.Host is null ? "" : "host:" + b.Host, b.Capacity, b.InUse, b.Reserved, b.Available)));
        }

        if (showBlocks)
            rows.AddRange(usage.OrphanedBlocks.Select(b => Row("Block (no pool)", b.Cidr, b.Host is null ? "" : "host:" + b.Host, b.Capacity, b.InUse, b.Reserved, b.Available)));
        IpamTable.Write(context.Output, s_headers, rows, "IPS TOTAL", "IPS IN USE", "IPS RESERVED", "IPS FREE");
        if (!showBlocks && usage.OrphanedBlocks.Count > 0)
        {
            await context.Error.WriteLineAsync(
                $"{usage.OrphanedBlocks.Count} blocks are in no IP pool and hold {usage.OrphanedBlocks.Sum(b => b.InUse)} addresses (--show-blocks lists them)").ConfigureAwait(false);
        }
    }

    private static string[] Row(string grouping, string cidr, string name, long capacity, long inUse, long reserved, long available) =>
        [grouping, cidr, name, IpamTable.Count(capacity), IpamTable.WithShare(inUse, capacity), IpamTable.WithShare(reserved, capacity), IpamTable.WithShare(available, capacity)];

    private static async Task<int> ShowAddressAsync(CommandContext context, ResourceClient store, string address, string format, CancellationToken ct)
    {
        var info = await new IpamClient(store.Datastore).GetAllocationAsync(address, ct).ConfigureAwait(false);
        var endpoints = store.ListAsync<WorkloadEndpoint>(null, cancellationToken: ct);
        var nodes = store.ListAsync<Api.Resources.Node>(cancellationToken: ct);
        await Task.WhenAll(endpoints, nodes).ConfigureAwait(false);
        var users = AddressUsers.Collect((await endpoints.ConfigureAwait(false)).Items, (await nodes.ConfigureAwait(false)).Items);
        var ip = AddressUsers.Normalize(address)!;
        var view = new AddressView { Ip = ip, UsedBy = users.GetValueOrDefault(ip) ?? [] };
        if (info is not null)
        {
            var host = info.BlockAffinity is { } a && a.StartsWith("host:", StringComparison.Ordinal) ? a[5..] : null;
            view.Allocated = true;
            view.Block = info.Block.ToString();
            view.BlockAffinity = info.BlockAffinity;
            view.Handle = info.HandleId;
            view.SequenceNumber = info.SequenceNumber;
            view.Attributes = info.Attributes.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            view.Borrowed = info.ReleasedAt is null && (info.Attributes.GetValueOrDefault("node") ?? host) != host;
            view.ReleasedAt = info.ReleasedAt is { } r ? Tabby.Ipam.Model.IpamTime.Format(r) : null;
        }

        if (format == "json")
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(view, IpamCliJsonContext.Default.AddressView)).ConfigureAwait(false);
            return view.Allocated ? ExitCodes.Ok : ExitCodes.NotFound;
        }

        var o = context.Output;
        if (!view.Allocated)
        {
            await o.WriteLineAsync($"{ip} is not assigned").ConfigureAwait(false);
            if (view.UsedBy.Count > 0)
                await o.WriteLineAsync($"but it is used by {string.Join(", ", view.UsedBy)}").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }

        await o.WriteLineAsync(view.ReleasedAt is { } at ? $"IP {ip} was released at {at} and is cooling down before reuse" : $"IP {ip} is in use").ConfigureAwait(false);
        await o.WriteLineAsync($"Block: {view.Block} (affinity {view.BlockAffinity ?? "<none>"}{(view.Borrowed ? ", borrowed" : "")})").ConfigureAwait(false);
        await o.WriteLineAsync($"Handle ID: {view.Handle ?? "<none>"}").ConfigureAwait(false);
        await o.WriteLineAsync($"Sequence number: {view.SequenceNumber}").ConfigureAwait(false);
        if (view.Attributes.Count == 0)
        {
            await o.WriteLineAsync("No Active Owner attributes defined").ConfigureAwait(false);
        }
        else
        {
            await o.WriteLineAsync("Active Owner Attributes:").ConfigureAwait(false);
            foreach (var (key, value) in view.Attributes)
                await o.WriteLineAsync($"  {key}: {value}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"Used by: {(view.UsedBy.Count == 0 ? "<nothing>" : string.Join(", ", view.UsedBy))}").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
