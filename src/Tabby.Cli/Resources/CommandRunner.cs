using System.CommandLine;
using Tabby.Datastore;

namespace Tabby.Cli.Resources;

/// <summary>Runs a resource command's body and turns every expected failure into one line for people and its exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult parseResult, Option<string> datastoreOption, ResourceCliEnvironment environment,
        Func<CommandContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(body);
        var context = new CommandContext(parseResult, datastoreOption, environment);
        try
        {
            return await body(context, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (DatastoreMissingException e)
        {
            // Only reading commands refuse to create the file, so the way out is to write something first.
            await context.Error.WriteLineAsync($"{e.Message} ({Origin(context)}tabby apply creates it)").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (DatastoreUnavailableException e)
        {
            await context.Error.WriteLineAsync($"{Where(context)} is unavailable: {Cause(e)}{Hint(context)}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (DatastoreConflictException e)
        {
            await context.Error.WriteLineAsync($"conflict: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Conflict;
        }
        catch (DatastoreNotFoundException e)
        {
            await context.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (FormatException e)
        {
            // A stored value this version cannot read (written by another tool or a newer Tabby): say which, do not crash.
            await context.Error.WriteLineAsync($"{Where(context)}: a stored resource cannot be read: {e.Message}").ConfigureAwait(false);
            return ExitCodes.SomeFailed;
        }
        catch (DatastoreException e)
        {
            await context.Error.WriteLineAsync($"{Where(context)}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.SomeFailed;
        }
    }

    private static string Where(CommandContext context) =>
        context.Datastore is { } d ? $"datastore {d.ConnectionString}" : "the datastore";

    private static string Origin(CommandContext context) =>
        context.Datastore is { } d ? $"from {d.Origin}; " : "";

    private static string Hint(CommandContext context) =>
        context.Datastore is not { } d ? ""
        : d.Origin == "--datastore" ? " (from --datastore)"
        : $" (from {d.Origin}; use --datastore or {ResourceCliEnvironment.DatastoreVariable} to choose another)";

    /// <summary>The innermost cause (connection refused, unable to open database file), not a stack of wrappers.</summary>
    private static string Cause(Exception e)
    {
        var inner = e.InnerException;
        if (inner is null)
            return e.Message;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        // gRPC keeps the socket error in its status text rather than as an inner exception.
        var message = inner.Message;
        var socket = message.IndexOf("SocketException: ", StringComparison.Ordinal);
        if (socket >= 0)
        {
            var rest = message[(socket + "SocketException: ".Length)..];
            var end = rest.IndexOfAny(['\n', '"', ')']);
            return end > 0 ? rest[..end].Trim() : rest.Trim();
        }
        return message;
    }
}
