namespace Tabby.Cni.Config;

/// <summary>One entry of GC's <c>cni.dev/valid-attachments</c>: an attachment the runtime still has.</summary>
public sealed record ValidAttachment(string ContainerId, string IfName);
