namespace Tabby.Cni.Protocol;

/// <summary>CNI_ARGS: <c>KEY=VALUE</c> pairs separated by semicolons; unknown keys are ignored, as IgnoreUnknown asks.</summary>
public sealed class CniArgs
{
    private readonly Dictionary<string, string> _values;

    private CniArgs(Dictionary<string, string> values) => _values = values;

    public static CniArgs Empty { get; } = new([]);

    /// <summary>Kubernetes' pod name, when the runtime is a kubelet (podman sets it to the container name).</summary>
    public string? PodName => Get("K8S_POD_NAME");

    public string? PodNamespace => Get("K8S_POD_NAMESPACE");

    public string? PodInfraContainerId => Get("K8S_POD_INFRA_CONTAINER_ID");

    /// <summary>The conventions' <c>IP=</c> (podman joins several with commas).</summary>
    public string? Ip => Get("IP");

    /// <summary>A MAC for the container side (podman's <c>--mac-address</c>).</summary>
    public string? Mac => Get("MAC");

    public string? Get(string key) => _values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <exception cref="CniException">Code 4: a pair without '=' or with an empty key.</exception>
    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return Empty;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(';'))
        {
            if (pair.Length == 0)
                continue;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS: '{pair}' is not KEY=VALUE", $"CNI_ARGS is \"{text}\"");
            // The last occurrence wins, as libcni's loader assigns them in order.
            values[pair[..equals]] = pair[(equals + 1)..];
        }
        return new CniArgs(values);
    }
}
