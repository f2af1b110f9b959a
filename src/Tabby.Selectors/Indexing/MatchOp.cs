namespace Tabby.Selectors.Indexing;

/// <summary>What one <see cref="MatchStep"/> tests.</summary>
internal enum MatchOp : byte
{
    /// <summary>The first step of every compiled selector: its <see cref="MatchStep.Operand"/> is the selector's ID; not evaluated.</summary>
    Header,

    /// <summary>A member of the set of the <see cref="In"/> step before it (its <see cref="MatchStep.Operand"/>); not evaluated.</summary>
    Member,

    /// <summary>Always the step's <see cref="MatchStep.Negated"/> flag inverted: true unless negated.</summary>
    Constant,

    /// <summary>The key is present.</summary>
    Has,

    /// <summary>The key's value is the step's value object.</summary>
    Equals,

    /// <summary>
    /// The key's value is one of a set: the <see cref="MatchStep.Count"/> <see cref="Member"/> steps
    /// that follow, or (Count 0, a large set) the <see cref="MatchStep.Operand"/> set.
    /// </summary>
    In,

    /// <summary>The key's value contains the step's text.</summary>
    Contains,

    /// <summary>The key's value starts with the step's text.</summary>
    StartsWith,

    /// <summary>The key's value ends with the step's text.</summary>
    EndsWith,

    /// <summary>The negation of the next step's subtree. This and the kinds after it are the inner nodes; the ones before are leaves.</summary>
    Not,

    /// <summary>All of the following <see cref="MatchStep.Count"/> subtrees.</summary>
    And,

    /// <summary>Any of the following <see cref="MatchStep.Count"/> subtrees.</summary>
    Or,
}
