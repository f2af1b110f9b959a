using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tabby.Datastore;
using Tabby.Datastore.Etcd;
using Tabby.Linux.Netns;
using Tabby.Node.Status;

namespace Tabby.Node.Hosting;

/// <summary>Builds the agent's host: one <see cref="NodeAgent"/>, its datastore and metrics, console logs, SIGTERM handling.</summary>
public static class AgentHost
{
    public static IHost Build(AgentOptions options, LogLevel minimumLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The agent runs a BGP speaker beside its dataplane loop and datastore watch.
        Tabby.Bgp.Speaker.SpeakerThreadPool.Reserve();
        // The empty builder: no configuration files or watchers, no event-log providers; the agent is configured by
        // its command line alone, and every megabyte of a per-host daemon counts.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            o.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(minimumLevel);
        builder.Services.AddSingleton(options);
        // The host the agent stands for is its namespace: it dials the datastore from there too.
        builder.Services.AddSingleton(_ => options.Namespace is { } name ? NetworkNamespace.Open(name) : NetworkNamespace.OpenCurrent());
        builder.Services.AddSingleton<IDatastore>(services => DatastoreConnectionString.Open(options.Datastore, options.Namespace is null
            ? new EtcdOptions()
            : new EtcdOptions { SocketFactory = NamespaceSockets.TcpFactory(services.GetRequiredService<NetworkNamespace>()) }));
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddHostedService<NodeAgent>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        return builder.Build();
    }
}
