namespace Tabby.Selectors.Indexing;

/// <summary>Where the entries for one read key sit in an <see cref="AtomBucket"/>'s entry array.</summary>
internal readonly record struct KeyRun(IndexedKey Key, int Start, int Length);
