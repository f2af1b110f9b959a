using Tabby.Api.Kinds;

namespace Tabby.Cli.Resources;

/// <summary>Turns what a person typed (ippool, ippools, IPPool, gnp, ...) into a kind, or a usage error listing the choices.</summary>
public static class KindArgument
{
    public static KindInfo Resolve(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new CliUsageException($"a kind is required, one of: {Known()}");
        return KindRegistry.TryResolve(text.Trim(), out var kind)
            ? kind
            : throw new CliUsageException($"unknown kind '{text}'; known kinds: {Known()}");
    }

    /// <summary>Positional words as given; an unknown option lands among them (arguments take any token), and no kind or name starts with '-'.</summary>
    public static string[] Words(string[]? words, string command)
    {
        var result = words ?? [];
        var stray = result.FirstOrDefault(w => w.Length > 1 && w[0] == '-');
        return stray is null ? result : throw new CliUsageException($"unknown option '{stray}' (see 'tabby {command} --help')");
    }

    private static string Known() => string.Join(", ", KindRegistry.All.Select(k => k.Plural));
}
