namespace Tabby.Selectors.Syntax;

/// <summary>The kinds of node in a parsed selector.</summary>
internal enum NodeKind
{
    All,
    Global,
    Has,
    Equals,
    NotEquals,
    In,
    NotIn,
    Contains,
    StartsWith,
    EndsWith,
    Not,
    And,
    Or,
}
