namespace Tabby.Api.Resources;

/// <summary>Where a BGP session's TCP-MD5 password comes from.</summary>
public sealed class BgpPassword
{
    public SecretKeySelector? SecretKeyRef { get; set; }
}
