namespace Tabby.Cni.Hosting;

/// <summary>Everything a plugin run touches of its process: environment, stdin, stdout, stderr (replaceable in tests).</summary>
public sealed record PluginIo(Func<string, string?> GetVariable, Stream Stdin, Stream Stdout, TextWriter Stderr)
{
    public static PluginIo Console() => new(
        Environment.GetEnvironmentVariable,
        System.Console.OpenStandardInput(),
        System.Console.OpenStandardOutput(),
        System.Console.Error);
}
