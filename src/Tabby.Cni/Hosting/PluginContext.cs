using System.Diagnostics;
using System.Text.Json;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;
using Tabby.Datastore;

namespace Tabby.Cni.Hosting;

/// <summary>One invocation: its checked environment, the raw and parsed configuration, and where output goes.</summary>
public sealed class PluginContext
{
    private Stopwatch _clock = Stopwatch.StartNew();

    public required PluginIo Io { get; init; }
    public required CniEnvironment Environment { get; init; }
    public required ReadOnlyMemory<byte> Stdin { get; init; }
    public required JsonElement Root { get; init; }
    public required NetConf Conf { get; init; }

    public CniVersion Version => Conf.Version;

    /// <summary>The datastore the interface plugin already has open, lent to tabby-ipam when it runs in the same process; null: open one.</summary>
    public IDatastore? LentStore { get; init; }

    /// <summary>The same invocation as tabby-ipam would see it for <paramref name="command"/>, run in this process: its output goes to
    /// <paramref name="stdout"/>, its log lines keep this run's clock, and it uses <paramref name="store"/> when given.</summary>
    public PluginContext ForIpam(CniCommand command, Stream stdout, IDatastore? store) => new()
    {
        Io = Io with { Stdout = stdout },
        Environment = Environment.WithCommand(command),
        Stdin = Stdin,
        Root = Root,
        Conf = Conf,
        LentStore = store,
        _clock = _clock,
    };

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
