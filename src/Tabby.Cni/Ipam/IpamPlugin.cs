using Tabby.Cni.Hosting;

namespace Tabby.Cni.Ipam;

/// <summary>The <c>tabby-ipam</c> plugin: Calico's block-affinity IPAM through Tabby.Ipam.</summary>
public sealed class IpamPlugin : ICniPlugin
{
    public Task AddAsync(PluginContext context, CancellationToken cancellationToken) => IpamAddCommand.RunAsync(context, cancellationToken);
    public Task DelAsync(PluginContext context, CancellationToken cancellationToken) => IpamDelCommand.RunAsync(context, cancellationToken);
    public Task CheckAsync(PluginContext context, CancellationToken cancellationToken) => IpamCheckCommand.RunAsync(context, cancellationToken);
    public Task GcAsync(PluginContext context, CancellationToken cancellationToken) => IpamGcCommand.RunAsync(context, cancellationToken);
    public Task StatusAsync(PluginContext context, CancellationToken cancellationToken) => IpamStatusCommand.RunAsync(context, cancellationToken);
}
