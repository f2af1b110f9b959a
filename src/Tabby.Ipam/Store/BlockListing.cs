using Tabby.Ipam.Blocks;

namespace Tabby.Ipam.Store;

/// <summary>The blocks read at one revision, and the stored blocks that could not be read.</summary>
public sealed record BlockListing(IReadOnlyList<Block> Blocks, IReadOnlyList<string> Problems, long Revision);
