namespace Tabby.Api.Serialization.Nodes;

/// <summary>One document of a (possibly multi-document) input: its root node and its 1-based position.</summary>
public sealed record ParsedDocument(int Index, DocNode Root);
