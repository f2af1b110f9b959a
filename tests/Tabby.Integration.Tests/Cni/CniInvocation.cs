namespace Tabby.Integration.Tests.Cni;

/// <summary>One plugin execution as a runtime makes it: the command, the configuration for stdin, and the CNI_* parameters.</summary>
public sealed record CniInvocation(string Command, string Config)
{
    /// <summary>The executable's name in the plugin directory (the configuration's "type").</summary>
    public string Plugin { get; init; } = CniPluginBinaries.NetworkPlugin;

    public string? ContainerId { get; init; }

    /// <summary>CNI_NETNS: a path to the container's namespace, e.g. /run/netns/NAME.</summary>
    public string? Netns { get; init; }

    public string? IfName { get; init; } = "eth0";

    /// <summary>CNI_ARGS, e.g. "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod".</summary>
    public string? Args { get; init; }

    /// <summary>More variables (TABBY_CNI_FAULT in tests); a null value removes one.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
}
