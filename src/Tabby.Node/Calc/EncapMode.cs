namespace Tabby.Node.Calc;

/// <summary>A pool's <c>vxlanMode</c> or <c>ipipMode</c>.</summary>
public enum EncapMode
{
    Never,
    Always,
    CrossSubnet,
}
