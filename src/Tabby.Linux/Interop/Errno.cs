namespace Tabby.Linux.Interop;

/// <summary>The errno values Tabby reacts to by name (Linux x86-64/arm64 numbering).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11; // also EWOULDBLOCK
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ERANGE = 34;
    public const int ENOBUFS = 105;
    public const int EOPNOTSUPP = 95;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETUNREACH = 101;

    /// <summary>The symbolic name of an errno, e.g. "EEXIST", or "errno N" when Tabby does not know it.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        ESRCH => "ESRCH",
        EINTR => "EINTR",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ERANGE => "ERANGE",
        ENOBUFS => "ENOBUFS",
        EOPNOTSUPP => "EOPNOTSUPP",
        EADDRNOTAVAIL => "EADDRNOTAVAIL",
        ENETUNREACH => "ENETUNREACH",
        _ => $"errno {errno}",
    };
}
