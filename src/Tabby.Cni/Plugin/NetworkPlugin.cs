using Tabby.Cni.Hosting;

namespace Tabby.Cni.Plugin;

/// <summary>The <c>tabby</c> plugin: a routed veth per workload, Calico style.</summary>
public sealed class NetworkPlugin : ICniPlugin
{
    public Task AddAsync(PluginContext context, CancellationToken cancellationToken) => AddCommand.RunAsync(context, cancellationToken);
    public Task DelAsync(PluginContext context, CancellationToken cancellationToken) => DelCommand.RunAsync(context, cancellationToken);
    public Task CheckAsync(PluginContext context, CancellationToken cancellationToken) => CheckCommand.RunAsync(context, cancellationToken);
    public Task GcAsync(PluginContext context, CancellationToken cancellationToken) => GcCommand.RunAsync(context, cancellationToken);
    public Task StatusAsync(PluginContext context, CancellationToken cancellationToken) => StatusCommand.RunAsync(context, cancellationToken);
}
