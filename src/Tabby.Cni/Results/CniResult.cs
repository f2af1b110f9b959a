using System.Text.Json;

namespace Tabby.Cni.Results;

/// <summary>The success result of ADD (and, abbreviated, of an IPAM plugin's ADD).</summary>
public sealed class CniResult
{
    public List<ResultInterface> Interfaces { get; init; } = [];
    public List<ResultIp> Ips { get; init; } = [];
    public List<ResultRoute> Routes { get; init; } = [];

    /// <summary>The dns object as configured, passed through untouched.</summary>
    public JsonElement? Dns { get; init; }
}
