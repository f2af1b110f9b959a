using System.Reflection;
using System.Text.Json;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Hosting;

/// <summary>The CNI protocol around a plugin: environment, stdin, version negotiation, dispatch, and errors as CNI error JSON.</summary>
public static class PluginHost
{
    /// <summary>How long one invocation may take before it gives up (Calico allows 90 s for IPAM).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>TABBY_CNI_DEBUG=1 writes a failure's stack trace to stderr.</summary>
    public const string DebugVariable = "TABBY_CNI_DEBUG";

    public static PluginKind KindFromProgramName(string? program)
    {
        var name = Path.GetFileName(program ?? "");
        return name.EndsWith("-ipam", StringComparison.Ordinal) ? PluginKind.Ipam : PluginKind.Network;
    }

    public static string About(PluginKind kind) =>
        $"Tabby CNI {(kind == PluginKind.Ipam ? "IPAM plugin (tabby-ipam)" : "plugin (tabby)")} {Version}\n" +
        $"CNI protocol versions supported: {string.Join(", ", CniVersion.Supported)}";

    public static string Version =>
        typeof(PluginHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>Runs one invocation and returns the exit code: 0 on success, 1 with a CNI error on stdout otherwise.</summary>
    public static async Task<int> RunAsync(PluginKind kind, ICniPlugin plugin, IReadOnlyList<string> arguments, PluginIo io)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(io);
        if (arguments.Count > 0 && arguments[0] is "-v" or "--version" or "version")
        {
            io.Stderr.WriteLine(About(kind));
            return 0;
        }

        string? errorVersion = null;
        try
        {
            var environment = CniEnvironment.Read(io.GetVariable);
            var stdin = ReadStdin(io.Stdin);
            if (environment.Command == CniCommand.Version)
            {
                io.Stdout.Write(VersionResult(stdin));
                return 0;
            }

            using var document = NetConfReader.ParseDocument(stdin);
            errorVersion = TentativeVersion(document.RootElement);
            var conf = NetConfReader.Read(document.RootElement);
            EnsureCommandAllowed(environment.Command, conf.Version);
            var context = new PluginContext { Io = io, Environment = environment, Stdin = stdin, Root = document.RootElement, Conf = conf };
            using var deadline = new CancellationTokenSource(Deadline);
            var ct = deadline.Token;
            await (environment.Command switch
            {
                CniCommand.Add => plugin.AddAsync(context, ct),
                CniCommand.Del => plugin.DelAsync(context, ct),
                CniCommand.Check => plugin.CheckAsync(context, ct),
                CniCommand.Gc => plugin.GcAsync(context, ct),
                _ => plugin.StatusAsync(context, ct),
            }).ConfigureAwait(false);
            io.Stdout.Flush();
            return 0;
        }
        catch (Exception e)
        {
            // Stack traces are for developers who ask for them on stderr; the runtime gets the CNI error only.
            if (io.GetVariable(DebugVariable) == "1")
                io.Stderr.WriteLine(e.ToString());
            WriteError(io, ExceptionMapper.ToCni(e), errorVersion);
            return 1;
        }
    }

    /// <summary>libcni's rule: CHECK from 0.4.0 on, GC and STATUS from 1.1.0 on.</summary>
    public static void EnsureCommandAllowed(CniCommand command, CniVersion version)
    {
        if (command == CniCommand.Check && !version.AllowsCheck)
            throw new CniException(CniErrorCode.IncompatibleVersion, "config version does not allow CHECK", $"config is \"{version}\"; CHECK needs 0.4.0 or later");
        if (command is CniCommand.Gc or CniCommand.Status && !version.AllowsGcAndStatus)
            throw new CniException(CniErrorCode.IncompatibleVersion, $"config version does not allow {command.ToString().ToUpperInvariant()}", $"config is \"{version}\"; GC and STATUS need 1.1.0");
    }

    /// <summary>The error object: cniVersion, code, msg, details (or a delegated plugin's own error, verbatim).</summary>
    public static void WriteError(PluginIo io, CniException error, string? version)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(error);
        if (error.RawError is { } raw)
        {
            io.Stdout.Write(raw);
            io.Stdout.Flush();
            return;
        }
        using (var writer = new Utf8JsonWriter(io.Stdout, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("cniVersion", version ?? CniVersion.Latest.ToString());
            writer.WriteNumber("code", error.Code);
            writer.WriteString("msg", error.Message);
            if (!string.IsNullOrEmpty(error.Details))
                writer.WriteString("details", error.Details);
            writer.WriteEndObject();
        }
        io.Stdout.WriteByte((byte)'\n');
        io.Stdout.Flush();
    }

    private static byte[] VersionResult(ReadOnlyMemory<byte> stdin)
    {
        // The answer echoes the version asked about when it is one; VERSION never fails on what it is asked.
        var asked = CniVersion.Latest.ToString();
        try
        {
            using var document = JsonDocument.Parse(stdin);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("cniVersion", out var v)
                && v.ValueKind == JsonValueKind.String && CniVersion.TryParse(v.GetString(), out _))
                asked = v.GetString()!;
        }
        catch (JsonException)
        {
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("cniVersion", asked);
            writer.WriteStartArray("supportedVersions");
            foreach (var version in CniVersion.Supported)
                writer.WriteStringValue(version.ToString());
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static string? TentativeVersion(JsonElement root) =>
        root.TryGetProperty("cniVersion", out var v) && v.ValueKind == JsonValueKind.String && CniVersion.TryParse(v.GetString(), out var parsed) && parsed.IsSupported
            ? parsed.ToString()
            : null;

    private static byte[] ReadStdin(Stream stdin)
    {
        try
        {
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (IOException e)
        {
            throw new CniException(CniErrorCode.IoFailure, "error reading the network configuration from stdin", e.Message);
        }
    }
}
