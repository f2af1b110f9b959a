namespace Tabby.Api.Serialization.Nodes;

/// <summary>A mapping (YAML block or flow mapping, JSON object) whose entries keep their input order.</summary>
public sealed class MappingNode : DocNode
{
    public MappingNode(int line = 0)
        : base(line)
    {
    }

    public List<KeyValuePair<ScalarNode, DocNode>> Entries { get; } = [];

    public void Add(string key, DocNode value) => Entries.Add(new(ScalarNode.String(key), value));
}
