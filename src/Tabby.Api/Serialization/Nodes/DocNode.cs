namespace Tabby.Api.Serialization.Nodes;

/// <summary>A node of a parsed YAML or JSON document, carrying the line it started on.</summary>
/// <remarks>
/// YAML and JSON both parse into this one small tree so binding, error positions and the
/// canonical writer have a single code path whatever the input format.
/// </remarks>
public abstract class DocNode
{
    protected DocNode(int line) => Line = line;

    /// <summary>The 1-based line the node starts on, or 0 when it was built in memory.</summary>
    public int Line { get; }
}
