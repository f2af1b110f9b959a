namespace Tabby.Linux.Sysctls;

/// <summary>A sysctl that does not exist or refused its value.</summary>
public sealed class SysctlException : Exception
{
    public SysctlException()
    {
    }

    public SysctlException(string message)
        : base(message)
    {
    }

    public SysctlException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
