using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Prometheus;
using Tabby.Linux.Netns;

namespace Tabby.Node.Status;

/// <summary>Serves <c>/liveness</c>, <c>/readiness</c> and <c>/metrics</c> over HTTP inside the agent's namespace.</summary>
public sealed partial class HealthServer(string host, int port, Func<(bool Ok, string Why)> liveness, Func<(bool Ok, string Why)> readiness,
    CollectorRegistry registry, ILogger logger)
{
    /// <summary>Serves until <paramref name="stop"/>; the listening socket is opened in <paramref name="ns"/>.</summary>
    public async Task RunAsync(NetworkNamespace ns, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(ns);
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/");
        // The socket belongs to the namespace of the thread that opens it.
        ns.Run(listener.Start);
        LogListening(logger, host, port);
        using var registration = stop.Register(listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;
            }

            try
            {
                await HandleAsync(context, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away; nothing to tell it.
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken stop)
    {
        var response = context.Response;
        switch (context.Request.Url?.AbsolutePath)
        {
            case "/liveness":
                await ProbeAsync(response, liveness()).ConfigureAwait(false);
                break;
            case "/readiness":
                await ProbeAsync(response, readiness()).ConfigureAwait(false);
                break;
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4";
                await registry.CollectAndExportAsTextAsync(response.OutputStream, stop).ConfigureAwait(false);
                response.Close();
                break;
            default:
                response.StatusCode = 404;
                await WriteAsync(response, "not found: /liveness, /readiness, /metrics\n").ConfigureAwait(false);
                break;
        }
    }

    private static Task ProbeAsync(HttpListenerResponse response, (bool Ok, string Why) result)
    {
        response.StatusCode = result.Ok ? 200 : 503;
        return WriteAsync(response, result.Why + "\n");
    }

    private static async Task WriteAsync(HttpListenerResponse response, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentType = "text/plain";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "health and metrics on http://{Host}:{Port}/ (liveness, readiness, metrics)")]
    private static partial void LogListening(ILogger logger, string host, int port);
}
