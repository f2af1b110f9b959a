using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Tabby.Linux.Interop;

namespace Tabby.Linux.Netns;

/// <summary>A handle on a network namespace (an open /run/netns or /proc file); code runs inside it on a dedicated thread.</summary>
/// <remarks>
/// setns(2) changes the namespace of one thread only, so every entry into a namespace is a fresh
/// thread that enters, runs, and exits; the caller's thread never changes namespace. Sockets
/// opened there stay in that namespace and can be used from any thread afterwards.
/// </remarks>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Where `ip netns` keeps named namespaces, and where Tabby keeps them too so both tools see the same set.</summary>
    public const string NamedDirectory = "/run/netns";

    private static bool s_runtimeThreadsStarted;
    private readonly SafeFileHandle _handle;

    private NetworkNamespace(SafeFileHandle handle, string path, string? name)
    {
        _handle = handle;
        Path = path;
        Name = name;
    }

    public string Path { get; }

    /// <summary>The name under /run/netns, or null for a namespace opened by path or pid.</summary>
    public string? Name { get; }

    internal SafeFileHandle Handle => _handle;

    public override string ToString() => Name ?? Path;

    /// <summary>Opens a named namespace, as `ip netns exec NAME` finds it.</summary>
    public static NetworkNamespace Open(string name)
    {
        ValidateName(name);
        return OpenPath(System.IO.Path.Combine(NamedDirectory, name), name);
    }

    public static NetworkNamespace OpenPath(string path) => OpenPath(path, null);

    /// <summary>The namespace a process is in, e.g. a container's init.</summary>
    public static NetworkNamespace OpenPid(int pid) => OpenPath($"/proc/{pid}/ns/net", null);

    /// <summary>The namespace of the calling thread (for a host agent: the root namespace).</summary>
    public static NetworkNamespace OpenCurrent() => OpenPath($"/proc/self/task/{Libc.gettid()}/ns/net", null);

    private static NetworkNamespace OpenPath(string path, string? name)
    {
        try
        {
            return new NetworkNamespace(File.OpenHandle(path, FileMode.Open, FileAccess.Read), path, name);
        }
        catch (FileNotFoundException)
        {
            throw new NamespaceException(name is null ? $"network namespace {path} does not exist" : $"network namespace '{name}' does not exist ({path} is missing)");
        }
        catch (DirectoryNotFoundException)
        {
            throw new NamespaceException(name is null ? $"network namespace {path} does not exist" : $"network namespace '{name}' does not exist ({NamedDirectory} is missing)");
        }
    }

    public static bool Exists(string name) => File.Exists(System.IO.Path.Combine(NamedDirectory, name));

    /// <summary>The named namespaces, as `ip netns list` shows them.</summary>
    public static IReadOnlyList<string> ListNamed() =>
        Directory.Exists(NamedDirectory)
            ? Directory.GetFiles(NamedDirectory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Creates a named namespace the way `ip netns add` does: a new namespace bind-mounted on /run/netns/NAME.</summary>
    public static NetworkNamespace Create(string name)
    {
        ValidateName(name);
        EnsureNamedDirectoryIsSharedMount();
        var path = System.IO.Path.Combine(NamedDirectory, name);
        try
        {
            // O_EXCL: the mount point is ours alone; a second creator fails here instead of stacking mounts.
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new NamespaceException($"network namespace '{name}' already exists");
        }

        try
        {
            RunOnFreshThread(() =>
            {
                if (Libc.unshare(Libc.CLONE_NEWNET) != 0)
                    throw LastErrorException($"unshare(CLONE_NEWNET) for '{name}'");
                var self = $"/proc/self/task/{Libc.gettid()}/ns/net";
                if (Libc.mount(self, path, "none", Libc.MS_BIND, 0) != 0)
                    throw LastErrorException($"bind-mounting the new namespace on {path}");
                return 0;
            });
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return Open(name);
    }

    /// <summary>Deletes a named namespace as `ip netns delete` does; it lives on while processes or sockets still hold it.</summary>
    public static void Delete(string name)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(NamedDirectory, name);
        if (!File.Exists(path))
            throw new NamespaceException($"network namespace '{name}' does not exist");
        if (Libc.umount2(path, Libc.MNT_DETACH) != 0)
        {
            var (errno, text) = Libc.LastError();
            // EINVAL: not a mount point (a half-created entry); removing the file is all there is to do.
            if (errno != Errno.EINVAL)
                throw new NamespaceException($"unmounting {path}: {text}");
        }
        File.Delete(path);
    }

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered this namespace; exceptions flow back to the caller.</summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)_handle.DangerousGetHandle();
            return RunOnFreshThread(() =>
            {
                if (Libc.setns(fd, Libc.CLONE_NEWNET) != 0)
                    throw LastErrorException($"setns into {this}");
                return action();
            });
        }
        finally
        {
            if (added)
                _handle.DangerousRelease();
        }
    }

    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(() =>
        {
            action();
            return 0;
        });
    }

    public void Dispose() => _handle.Dispose();

    private static T RunOnFreshThread<T>(Func<T> action)
    {
        StartRuntimeThreadsHere();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "tabby-netns",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// A thread inherits the namespace of the thread that creates it, and the runtime creates some of its
    /// threads lazily: the first <see cref="System.Net.Sockets.Socket"/> starts the socket engine (which
    /// completes all async I/O and so spawns thread-pool workers). Were that first socket a netlink socket
    /// opened inside a namespace, every later connect and pipe of the process would run there. So the engine
    /// and a pool worker are started once from the caller, which is in the process's own namespace.
    /// </summary>
    private static void StartRuntimeThreadsHere()
    {
        if (Volatile.Read(ref s_runtimeThreadsStarted))
            return;
        using (new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp))
        {
        }
        ThreadPool.UnsafeQueueUserWorkItem(static _ => { }, null);
        Volatile.Write(ref s_runtimeThreadsStarted, true);
    }

    private static void EnsureNamedDirectoryIsSharedMount()
    {
        Directory.CreateDirectory(NamedDirectory);
        // Like iproute2: make /run/netns a shared mount so namespace mounts propagate to other
        // mount namespaces; if it is not a mount point yet, bind it onto itself first.
        if (Libc.mount("none", NamedDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) == 0)
            return;
        var (errno, text) = Libc.LastError();
        if (errno != Errno.EINVAL)
            throw new NamespaceException($"making {NamedDirectory} a shared mount: {text}");
        if (Libc.mount(NamedDirectory, NamedDirectory, "none", Libc.MS_BIND | Libc.MS_REC, 0) != 0)
            throw LastErrorException($"bind-mounting {NamedDirectory} onto itself");
        if (Libc.mount("none", NamedDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) != 0)
            throw LastErrorException($"making {NamedDirectory} a shared mount");
    }

    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > 200 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
            throw new NamespaceException($"'{name}' is not a valid namespace name");
    }

    private static NamespaceException LastErrorException(string what)
    {
        var (errno, text) = Libc.LastError();
        return new NamespaceException($"{what}: {text} ({Errno.Name(errno)})");
    }
}
