namespace Tabby.Cli.Lab;

/// <summary>Where a named lab's state and log live (/run/tabby/lab).</summary>
internal static class LabStateFiles
{
    public const string Directory = "/run/tabby/lab";

    public static string State(string name) => Path.Combine(Directory, Check(name) + ".json");

    public static string Log(string name) => Path.Combine(Directory, Check(name) + ".log");

    private static string Check(string name) =>
        name.Length is > 0 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? name
            : throw new ArgumentException($"lab name '{name}': letters, digits and '-', at most 32");
}
