using System.CommandLine;
using System.Text.Json;
using Tabby.Cli.Resources;
using Tabby.Ipam.Errors;

namespace Tabby.Cli.Ipam;

/// <summary>Runs an IPAM command like any resource command, and turns IPAM's own failures into a line and an exit code too.</summary>
public static class IpamRunner
{
    public static Task<int> RunAsync(
        ParseResult parseResult, Option<string> datastoreOption, ResourceCliEnvironment environment,
        Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(parseResult, datastoreOption, environment, async (context, ct) =>
        {
            try
            {
                return await body(context, ct).ConfigureAwait(false);
            }
            catch (IpamException e)
            {
                await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return ExitCodeOf(e.Code);
            }
            catch (JsonException e)
            {
                throw new CliUsageException($"not an IPAM check report: {e.Message}", e);
            }
        }, cancellationToken);

    /// <summary>The exit code docs/cli.md gives an IPAM failure.</summary>
    public static int ExitCodeOf(IpamErrorCode code) => code switch
    {
        IpamErrorCode.InvalidRequest => ExitCodes.BadInput,
        IpamErrorCode.Contention => ExitCodes.Conflict,
        _ => ExitCodes.SomeFailed,
    };

    /// <summary>The output format: table (the default) or json.</summary>
    public static string Format(CommandContext context, Option<string> output)
    {
        ArgumentNullException.ThrowIfNull(context);
        var format = (context.Value(output) ?? "table").ToLowerInvariant();
        return format is "table" or "json" ? format : throw new CliUsageException($"-o {format}: expected table or json");
    }
}
