namespace Tabby.Cli.Bgp;

/// <summary>The control socket's answer to a request it does not know.</summary>
internal sealed record BgpControlError(string Error);
