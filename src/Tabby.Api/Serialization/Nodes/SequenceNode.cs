namespace Tabby.Api.Serialization.Nodes;

/// <summary>A sequence (YAML list, JSON array).</summary>
public sealed class SequenceNode : DocNode
{
    public SequenceNode(int line = 0)
        : base(line)
    {
    }

    public List<DocNode> Items { get; } = [];
}
