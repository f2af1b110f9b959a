using Tabby.Cni.Hosting;
using Tabby.Cni.Ipam;
using Tabby.Cni.Protocol;
using Tabby.Datastore;

namespace Tabby.Cni.Plugin;

/// <summary>The interface plugin's IPAM step: tabby-ipam runs inside this process, any other IPAM plugin is executed from CNI_PATH.</summary>
/// <remarks>
/// tabby-ipam is this very executable under another name, so running it as a second process bought nothing but a
/// process and runtime start, a second datastore open and a cold IPAM cache: about half of an ADD's time. The CNI spec
/// lets a plugin do its own IPAM; in process it sees exactly what the executed copy would (the same configuration,
/// environment and command) and hands back the same result JSON, or throws what that copy would have printed as its error.
/// Every other IPAM type (host-local, dhcp, a third party's) is delegated as the spec describes.
/// </remarks>
public static class IpamRunner
{
    /// <summary>The IPAM type handled in process.</summary>
    public const string InProcessType = "tabby-ipam";

    public static bool RunsInProcess(string type) => type == InProcessType;

    /// <summary>Fails early, before anything is changed, when a delegated IPAM plugin is not in CNI_PATH.</summary>
    /// <exception cref="CniException">Code 7: it is not.</exception>
    public static void EnsureAvailable(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var type = TypeOf(context);
        if (!RunsInProcess(type))
            IpamDelegate.Find(type, context.Environment.Path);
    }

    /// <summary>Runs the IPAM plugin's <paramref name="command"/>; returns what it printed on success (ADD's result).</summary>
    /// <param name="store">The datastore this invocation already has open, for tabby-ipam to use; null: it opens its own.</param>
    public static async Task<byte[]> RunAsync(PluginContext context, CniCommand command, IDatastore? store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!RunsInProcess(TypeOf(context)))
            return await IpamDelegate.RunAsync(context, command, cancellationToken).ConfigureAwait(false);

        using var stdout = new MemoryStream();
        var ipam = context.ForIpam(command, stdout, store);
        var plugin = new IpamPlugin();
        await (command switch
        {
            CniCommand.Add => plugin.AddAsync(ipam, cancellationToken),
            CniCommand.Del => plugin.DelAsync(ipam, cancellationToken),
            CniCommand.Check => plugin.CheckAsync(ipam, cancellationToken),
            CniCommand.Gc => plugin.GcAsync(ipam, cancellationToken),
            CniCommand.Status => plugin.StatusAsync(ipam, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "IPAM plugins are not asked for VERSION"),
        }).ConfigureAwait(false);
        return stdout.ToArray();
    }

    private static string TypeOf(PluginContext context) =>
        context.Conf.Ipam?.Type ?? throw new CniException(CniErrorCode.InvalidConfig, "the configuration has no ipam section", "add \"ipam\": {\"type\": \"tabby-ipam\"}");
}
