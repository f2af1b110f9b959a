namespace Tabby.Cli.Resources;

/// <summary>The exit codes of the resource commands, as documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Some resources failed, for different reasons (each is printed).</summary>
    public const int SomeFailed = 1;

    /// <summary>Bad usage or bad input: unknown option or kind, a manifest that does not parse or validate.</summary>
    public const int BadInput = 2;

    /// <summary>The datastore cannot be reached or opened, or (for get and delete) its SQLite file does not exist.</summary>
    public const int Unavailable = 3;

    /// <summary>A resource already exists, or changed since the caller read it (stale resourceVersion).</summary>
    public const int Conflict = 4;

    /// <summary>A resource that must exist does not.</summary>
    public const int NotFound = 5;

    /// <summary>A write too large for one transaction failed part-way and undoing what it had written failed too; the keys left are printed.</summary>
    public const int PartlyApplied = 6;
}
