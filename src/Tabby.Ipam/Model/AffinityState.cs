namespace Tabby.Ipam.Model;

/// <summary>The states of a block affinity: claimed (pending), owned (confirmed), being given up (pendingDeletion).</summary>
public static class AffinityState
{
    public const string Pending = "pending";

    public const string Confirmed = "confirmed";

    public const string PendingDeletion = "pendingDeletion";

    /// <summary>Confirmed, or the empty state old data carries, which Calico treats as confirmed.</summary>
    public static bool IsConfirmed(string? state) => state is Confirmed or "" or null;
}
