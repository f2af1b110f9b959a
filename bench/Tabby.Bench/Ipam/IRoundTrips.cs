namespace Tabby.Bench.Ipam;

/// <summary>Datastore calls made so far, by kind.</summary>
internal interface IRoundTrips
{
    long Gets { get; }

    long Lists { get; }

    long Txns { get; }

    long Revisions { get; }
}
