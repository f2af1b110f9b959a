using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Plugin;

/// <summary>Runs the IPAM plugin the configuration names, as the spec's delegation asks: found in CNI_PATH, same environment and stdin.</summary>
/// <remarks>Its stderr is ours (inherited); its stdout is the result, or its CNI error, which is passed on unchanged.</remarks>
public static class IpamDelegate
{
    /// <summary>The first CNI_PATH directory holding an executable of that name.</summary>
    /// <exception cref="CniException">Code 7: no directory has it.</exception>
    public static string Find(string type, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var directory in path)
        {
            var candidate = Path.Combine(directory, type);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new CniException(CniErrorCode.InvalidConfig, $"failed to find IPAM plugin \"{type}\" in path [{string.Join(" ", path)}]", "ipam.type names an executable in a CNI_PATH directory");
    }

    /// <summary>Runs the delegate with <paramref name="command"/>; returns its stdout on success.</summary>
    /// <exception cref="CniException">The delegate's own error (printed verbatim), or code 106 when it failed without one.</exception>
    public static async Task<byte[]> RunAsync(PluginContext context, CniCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = context.Conf.Ipam?.Type ?? throw new CniException(CniErrorCode.InvalidConfig, "the configuration has no ipam section", "add \"ipam\": {\"type\": \"tabby-ipam\"}");
        var program = Find(type, context.Environment.Path);
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        start.Environment["CNI_COMMAND"] = command.ToString().ToUpperInvariant();

        using var process = Process.Start(start) ?? throw new CniException(CniErrorCode.DelegateFailed, $"could not start IPAM plugin {program}");
        using var stdout = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        try
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(context.Stdin, cancellationToken).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited without reading its configuration (EPIPE): its exit code and stdout tell the rest.
            }
            await reading.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} did not finish {command.ToString().ToUpperInvariant()} in time");
        }

        var bytes = stdout.ToArray();
        if (process.ExitCode == 0)
            return bytes;
        throw AsError(type, command, process.ExitCode, bytes);
    }

    private static CniException AsError(string type, CniCommand command, int exitCode, byte[] stdout)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.TryGetInt32(out var codeValue))
            {
                var message = root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String ? msg.GetString()! : "IPAM plugin failed";
                var details = root.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return new CniException(codeValue, message, details) { RawError = stdout };
            }
        }
        catch (JsonException)
        {
        }
        var text = Encoding.UTF8.GetString(stdout).Trim();
        return new CniException(CniErrorCode.DelegateFailed, $"IPAM plugin {type} failed {command.ToString().ToUpperInvariant()} with exit code {exitCode} and no CNI error",
            text.Length == 0 ? "it printed nothing on stdout; see its stderr" : text.Length > 2000 ? text[..2000] : text);
    }
}
