namespace Tabby.Cni.Protocol;

/// <summary>The operations of CNI 1.1.0, as CNI_COMMAND names them.</summary>
public enum CniCommand
{
    Add,
    Del,
    Check,
    Gc,
    Status,
    Version,
}
