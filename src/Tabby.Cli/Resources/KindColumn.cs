using Tabby.Api.Resources;

namespace Tabby.Cli.Resources;

/// <summary>One column of <c>tabby get</c>'s table: its header, how to read it from a resource, and whether only <c>-o wide</c> shows it.</summary>
public sealed record KindColumn(string Header, Func<IResource, string?> Value, bool WideOnly = false);
