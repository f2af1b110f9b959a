using System.Diagnostics;
using System.Text.Json;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Hosting;

/// <summary>One invocation: its checked environment, the raw and parsed configuration, and where output goes.</summary>
public sealed class PluginContext
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public required PluginIo Io { get; init; }
    public required CniEnvironment Environment { get; init; }
    public required ReadOnlyMemory<byte> Stdin { get; init; }
    public required JsonElement Root { get; init; }
    public required NetConf Conf { get; init; }

    public CniVersion Version => Conf.Version;

    /// <summary>A test hook: TABBY_CNI_FAULT=stage makes that stage fail, to prove every failure rolls back.</summary>
    public const string FaultVariable = "TABBY_CNI_FAULT";

    /// <summary>Fails here if the test hook names <paramref name="stage"/>.</summary>
    public void FaultPoint(string stage)
    {
        if (Io.GetVariable(FaultVariable) == stage)
            throw new CniException(CniErrorCode.Internal, $"injected fault at {stage}", $"{FaultVariable}={stage}");
    }

    /// <summary>Writes a line to stderr when log_level is debug or info (runtimes keep stderr in their logs).</summary>
    public void Log(string message)
    {
        if (Conf.LogLevel is { } level && (level.Equals("debug", StringComparison.OrdinalIgnoreCase) || level.Equals("info", StringComparison.OrdinalIgnoreCase)))
            Io.Stderr.WriteLine($"tabby {Environment.Command.ToString().ToUpperInvariant()} {Environment.ContainerId} +{_clock.Elapsed.TotalMilliseconds:F1}ms: {message}");
    }

    /// <summary>Writes a success result to stdout.</summary>
    public void Output(byte[] json) => Io.Stdout.Write(json);
}
