using Spectre.Console;

namespace Tabby.Cli.Resources;

/// <summary>A Spectre.Console console over a writer: colours only for a terminal, no line wrapping in pipes.</summary>
public static class CliConsole
{
    /// <summary>Whether the writer is this process's stdout and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter output) => ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public static IAnsiConsole Create(TextWriter output, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // Spectre assumes 80 columns when it cannot ask a terminal; a pipe should get whole rows.
        console.Profile.Width = terminal ? Math.Max(Console.WindowWidth, 80) : 4096;
        return console;
    }

    /// <summary>The console for this process's stdout: a terminal's width, or whole rows in a pipe.</summary>
    public static IAnsiConsole Stdout() => Create(Console.Out, IsTerminal(Console.Out));
}
