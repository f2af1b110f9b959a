namespace Tabby.Selectors.Indexing;

/// <summary>One step of an <see cref="IndexedMatcher"/>, in prefix order: a node followed by its operands' subtrees.</summary>
/// <remarks>24 bytes, so a typical selector's steps fit in one or two cache lines.</remarks>
/// <param name="Op">What it tests.</param>
/// <param name="Negated">Inverts the test (!=, not in, !has(), global(), the constant false).</param>
/// <param name="Size">Steps in this subtree, itself included, so a short-circuit can skip it.</param>
/// <param name="Count">Operands of an And or Or; members of a small In set.</param>
/// <param name="Key">The label key of a leaf test.</param>
/// <param name="Operand">An <see cref="IndexedValue"/> (Equals, Member), the set of a large In, a string (text tests), or the selector's ID (Header).</param>
internal readonly record struct MatchStep(MatchOp Op, bool Negated, int Size, ushort Count, IndexedKey? Key, object? Operand);
