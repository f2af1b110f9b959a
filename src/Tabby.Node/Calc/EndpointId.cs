namespace Tabby.Node.Calc;

/// <summary>A workload endpoint's identity: the namespace and name of its WorkloadEndpoint resource.</summary>
public readonly record struct EndpointId(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
