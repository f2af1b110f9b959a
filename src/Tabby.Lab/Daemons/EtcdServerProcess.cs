using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Tabby.Lab.Daemons;

/// <summary>A private single-member etcd on 127.0.0.1 with its own ports and data dir, for tests, benchmarks and the lab.</summary>
/// <remarks>It is stopped by its pid, never by name, and can be restarted on the same ports and data.</remarks>
public sealed class EtcdServerProcess : IAsyncDisposable
{
    private readonly string _binary;
    private readonly int _clientPort;
    private readonly int _peerPort;
    private readonly bool _ownsDataDir;
    private readonly Queue<string> _lastLines = new();
    private readonly Tabby.Linux.Netns.NetworkNamespace? _namespace;
    private readonly IPAddress _address;
    private Process? _process;

    private EtcdServerProcess(string binary, string dataDir, bool ownsDataDir, Tabby.Linux.Netns.NetworkNamespace? ns = null, IPAddress? address = null)
    {
        _binary = binary;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        _namespace = ns;
        _address = address ?? IPAddress.Loopback;
        // A lab namespace of its own has every port free; on the machine's loopback, ask the kernel for free ones.
        _clientPort = ns is null ? FreePort() : 2379;
        _peerPort = ns is null ? FreePort() : 2380;
    }

    /// <summary>The client URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri ClientUrl => new($"http://{_address}:{_clientPort.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>The namespace the server runs in, or null for the machine's loopback.</summary>
    public Tabby.Linux.Netns.NetworkNamespace? Namespace => _namespace;

    /// <summary>The data directory.</summary>
    public string DataDir { get; }

    /// <summary>The running server's pid, or null when stopped.</summary>
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Finds the etcd binary on PATH.</summary>
    /// <exception cref="FileNotFoundException">etcd is not installed.</exception>
    public static string FindBinary()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/local/bin");
        return dirs.Select(d => System.IO.Path.Combine(d, "etcd")).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("etcd is not installed: no 'etcd' binary on PATH (install the etcd-server package)", "etcd");
    }

    /// <summary>Starts etcd in a fresh temporary data dir and waits until it answers.</summary>
    public static async Task<EtcdServerProcess> StartAsync(TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        var dir = Directory.CreateTempSubdirectory("tabby-etcd-").FullName;
        var server = new EtcdServerProcess(FindBinary(), dir, ownsDataDir: true);
        try
        {
            await server.RestartAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts etcd inside a lab namespace, listening on <paramref name="address"/> there (a lab's hosts reach it over the underlay).</summary>
    public static async Task<EtcdServerProcess> StartInNamespaceAsync(Tabby.Linux.Netns.NetworkNamespace ns, IPAddress address, TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(address);
        var dir = Directory.CreateTempSubdirectory("tabby-etcd-").FullName;
        var server = new EtcdServerProcess(FindBinary(), dir, ownsDataDir: true, ns, address);
        try
        {
            await server.RestartAsync(readyTimeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>(Re)starts the server on the same ports and data dir and waits until it answers.</summary>
    public async Task RestartAsync(TimeSpan? readyTimeout = null, CancellationToken cancellationToken = default)
    {
        if (Pid is not null)
        {
            throw new InvalidOperationException($"etcd is already running (pid {Pid})");
        }

        var client = ClientUrl.ToString().TrimEnd('/');
        var peer = $"http://{_address}:{_peerPort.ToString(CultureInfo.InvariantCulture)}";
        // `ip netns exec` execs etcd, so the pid is etcd's own either way.
        var info = new ProcessStartInfo(_namespace is null ? _binary : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_namespace is not null)
        {
            foreach (var arg in new[] { "netns", "exec", _namespace.Name ?? throw new InvalidOperationException("etcd runs in named namespaces"), _binary })
                info.ArgumentList.Add(arg);
        }

        foreach (var arg in new[]
        {
            "--name", "t", "--data-dir", DataDir,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "t=" + peer,
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start etcd");
        _process = process;

        // Drain both pipes, or etcd blocks once its log fills the pipe buffer; keep a tail for error messages.
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitReadyAsync(readyTimeout ?? TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the server by its pid (SIGKILL, like a crash) and waits for it to exit; the data dir stays.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } p)
        {
            return;
        }

        _process = null;
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: false);
            }

            await p.WaitForExitAsync().ConfigureAwait(false);
        }
        finally
        {
            p.Dispose();
        }
    }

    /// <summary>Kills the server and deletes the data dir it created.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        if (_ownsDataDir)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp dir is not worth failing a test run over.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 20)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        if (_namespace is not null)
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = Tabby.Linux.Netns.NamespaceSockets.TcpFactory(_namespace)(AddressFamily.InterNetwork);
                await socket.ConnectAsync(new IPEndPoint(_address, context.DnsEndPoint.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(1) };
        var health = new Uri(ClientUrl, "/health");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process is not { HasExited: false })
            {
                throw new InvalidOperationException($"etcd exited during startup: {Tail()}");
            }

            try
            {
                var body = await http.GetStringAsync(health, cancellationToken).ConfigureAwait(false);
                if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"etcd at {ClientUrl} not ready after {timeout.TotalSeconds:0} s: {Tail()}");
    }

    private string Tail()
    {
        lock (_lastLines)
        {
            return string.Join(" | ", _lastLines);
        }
    }
}
