namespace Tabby.Cli.Resources;

/// <summary>The command line or its input is wrong; the message says how, and the command exits with <see cref="ExitCodes.BadInput"/>.</summary>
public sealed class CliUsageException : Exception
{
    public CliUsageException()
    {
    }

    public CliUsageException(string message)
        : base(message)
    {
    }

    public CliUsageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
