namespace Tabby.Bgp.Policy;

/// <summary>How a term treats the next hop: leave the speaker's default, force our address, or keep the received one.</summary>
public enum NextHopAction
{
    Default,
    Self,
    Keep,
}
