namespace Tabby.Api.Resources;

/// <summary>What every v3 resource has: its type (apiVersion, kind) and its metadata.</summary>
public interface IResource
{
    string ApiVersion { get; }

    string Kind { get; }

    ObjectMeta Metadata { get; }
}
