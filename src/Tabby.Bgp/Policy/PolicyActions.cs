using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Policy;

/// <summary>Attribute rewrites a term applies when it accepts a route, in the order the properties are listed.</summary>
public sealed record PolicyActions
{
    public static PolicyActions None { get; } = new();

    /// <summary>Replaces all communities when set (before add/remove).</summary>
    public ValueList<Community>? SetCommunities { get; init; }

    public ValueList<Community> AddCommunities { get; init; }
    public ValueList<Community> RemoveCommunities { get; init; }
    public ValueList<LargeCommunity> AddLargeCommunities { get; init; }
    public ValueList<LargeCommunity> RemoveLargeCommunities { get; init; }
    public uint? SetLocalPref { get; init; }
    public uint? SetMed { get; init; }

    /// <summary>How many times to prepend <see cref="PrependAs"/> (our AS when null) to AS_PATH.</summary>
    public int PrependCount { get; init; }

    public uint? PrependAs { get; init; }
    public NextHopAction NextHop { get; init; }
}
