namespace Tabby.Api.Serialization;

/// <summary>What the reader does after binding: fill Calico's defaults, and validate.</summary>
public sealed record ResourceReaderOptions
{
    public static ResourceReaderOptions Default { get; } = new();

    /// <summary>Only bind: for reading back objects a datastore stored already checked.</summary>
    public static ResourceReaderOptions BindOnly { get; } = new() { ApplyDefaults = false, Validate = false };

    public bool ApplyDefaults { get; init; } = true;

    public bool Validate { get; init; } = true;
}
