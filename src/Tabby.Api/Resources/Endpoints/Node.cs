namespace Tabby.Api.Resources;

/// <summary>A host running the Tabby agent.</summary>
public sealed class Node : Resource<NodeSpec>
{
    public override string Kind => "Node";

    public NodeStatus? Status { get; set; }
}
