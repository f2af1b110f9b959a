namespace Tabby.Cni.Hosting;

/// <summary>A plugin's commands; the host has already checked the environment, the configuration and its version.</summary>
public interface ICniPlugin
{
    Task AddAsync(PluginContext context, CancellationToken cancellationToken);
    Task DelAsync(PluginContext context, CancellationToken cancellationToken);
    Task CheckAsync(PluginContext context, CancellationToken cancellationToken);
    Task GcAsync(PluginContext context, CancellationToken cancellationToken);
    Task StatusAsync(PluginContext context, CancellationToken cancellationToken);
}
