using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tabby.Cli.Resources;
using Tabby.Ipam.Client;
using Tabby.Ipam.Model;

namespace Tabby.Cli.Ipam;

/// <summary>`tabby ipam configure [--strictaffinity true|false] [--max-blocks-per-host N] [-o table|json]`: changes the IPAM settings and prints them.</summary>
public static class ConfigureCommand
{
    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var strict = new Option<string>("--strictaffinity") { Description = "true: a host never takes addresses from another host's block; false: it borrows when its blocks are full", Arity = ArgumentArity.ZeroOrOne };
        var maxBlocks = new Option<string>("--max-blocks-per-host") { Description = "The most blocks one host may claim (0: the default, 20)", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--output", "-o") { Description = "table or json", Arity = ArgumentArity.ZeroOrOne };
        var stray = ResourceCommands.StrayArgument();
        var command = new Command("configure", "Change the IPAM settings (with no setting given, show them)") { strict, maxBlocks, output, stray };
        command.SetAction((result, token) => IpamRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            if (context.ParseResult.GetValue(stray) is [var first, ..])
                throw new CliUsageException($"unexpected argument '{first}' (see 'tabby ipam configure --help')");
            var format = IpamRunner.Format(context, output);
            bool? strictValue = context.Value(strict)?.ToLowerInvariant() switch
            {
                null => null,
                "true" => true,
                "false" => false,
                var other => throw new CliUsageException($"--strictaffinity {other}: expected true or false"),
            };
            int? maxValue = null;
            if (context.Value(maxBlocks) is { } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    throw new CliUsageException($"--max-blocks-per-host {text}: expected a whole number, 0 or more");
                maxValue = n;
            }

            var changing = strictValue is not null || maxValue is not null;
            var store = changing ? context.OpenStore() : context.OpenExistingStore();
            IpamConfig config;
            await using (store.Datastore.ConfigureAwait(false))
            {
                var ipam = new IpamClient(store.Datastore);
                config = changing
                    ? await ipam.ConfigureAsync(strictValue, maxValue, cancellationToken: ct).ConfigureAwait(false)
                    : await ipam.GetConfigAsync(ct).ConfigureAwait(false);
            }

            var view = new ConfigView
            {
                StrictAffinity = config.StrictAffinity,
                AutoAllocateBlocks = config.AutoAllocateBlocks,
                MaxBlocksPerHost = config.EffectiveMaxBlocksPerHost,
                IpCooldownSeconds = config.IpCooldownSeconds,
            };
            if (format == "json")
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(view, IpamCliJsonContext.Default.ConfigView)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            IpamTable.Write(context.Output, ["PROPERTY", "VALUE"],
            [
                ["StrictAffinity", Bool(view.StrictAffinity)],
                ["AutoAllocateBlocks", Bool(view.AutoAllocateBlocks)],
                ["MaxBlocksPerHost", IpamTable.Count(view.MaxBlocksPerHost) + (config.MaxBlocksPerHost == 0 ? " (default)" : "")],
                ["IpCooldownSeconds", IpamTable.Count(view.IpCooldownSeconds)],
            ]);
            return ExitCodes.Ok;
        }, token));
        return command;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
