using Tabby.Cni.Config;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Cni.Workloads;
using Tabby.Core.Addressing;

namespace Tabby.Cni.Plugin;

/// <summary>The parts of an invocation both plugins derive the same way: the node and the workload's identity.</summary>
public static class AttachmentRequest
{
    public static WorkloadIdentity Identity(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WorkloadIdentity.From(context.Environment, NodeNames.Resolve(context.Conf));
    }

    /// <summary>A MAC for the container side: runtimeConfig.mac, else CNI_ARGS MAC=; null when neither is set.</summary>
    public static MacAddress? ContainerMac(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (text, source, code) = context.Conf.RequestedMac is { Length: > 0 } fromConfig
            ? (fromConfig, "runtimeConfig.mac", CniErrorCode.InvalidConfig)
            : (context.Environment.Args.Mac, "CNI_ARGS MAC", CniErrorCode.InvalidEnvironment);
        if (text is null)
            return null;
        if (!MacAddress.TryParse(text, null, out var mac) || mac.IsMulticast || mac.IsZero)
            throw new CniException(code, $"{source}: \"{text}\" is not a unicast MAC address");
        return mac;
    }
}
