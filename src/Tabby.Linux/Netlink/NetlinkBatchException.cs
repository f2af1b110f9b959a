namespace Tabby.Linux.Netlink;

/// <summary>Some requests of a batch failed; the others were applied. Each failure names its request and errno.</summary>
public sealed class NetlinkBatchException : NetlinkException
{
    public NetlinkBatchException(IReadOnlyList<NetlinkException> failures, int total)
        : base(Describe(failures, total))
    {
        Failures = failures;
        Total = total;
    }

    public NetlinkBatchException()
        : this([], 0)
    {
    }

    public NetlinkBatchException(string message)
        : base(message)
    {
        Failures = [];
    }

    public NetlinkBatchException(string message, Exception inner)
        : base(message, inner)
    {
        Failures = [];
    }

    public IReadOnlyList<NetlinkException> Failures { get; }
    public int Total { get; }

    private static string Describe(IReadOnlyList<NetlinkException> failures, int total)
    {
        if (failures.Count == 0)
            return "netlink batch failed";
        var first = failures[0].Message;
        return failures.Count == 1
            ? $"1 of {total} requests failed: {first}"
            : $"{failures.Count} of {total} requests failed; the first: {first}";
    }
}
