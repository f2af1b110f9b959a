using Tabby.Datastore.Resources;

namespace Tabby.Cli.Resources;

/// <summary>One resource the command could not handle: the message for people and the exit code it stands for.</summary>
public sealed record ResourceFailure(string Message, int ExitCode)
{
    /// <summary>A refused plan entry, with the exit code docs/cli.md gives its reason.</summary>
    public static ResourceFailure From(PlanFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure.Message, failure.Kind == PlanFailureKind.NotFound ? ExitCodes.NotFound : ExitCodes.Conflict);
    }

    /// <summary>One code for many failures: theirs when they agree, else <see cref="ExitCodes.SomeFailed"/>.</summary>
    public static int ExitCodeFor(IReadOnlyCollection<ResourceFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count == 0)
            return ExitCodes.Ok;
        var first = failures.First().ExitCode;
        return failures.All(f => f.ExitCode == first) ? first : ExitCodes.SomeFailed;
    }
}
