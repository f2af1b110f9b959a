namespace Tabby.Api.Resources;

/// <summary>Rules and labels that endpoints inherit by naming the profile.</summary>
public sealed class Profile : Resource<ProfileSpec>
{
    public override string Kind => "Profile";
}
