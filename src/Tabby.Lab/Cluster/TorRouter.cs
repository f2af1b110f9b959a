namespace Tabby.Lab.Cluster;

/// <summary>Which reference daemon plays the top-of-rack and spine routers.</summary>
public enum TorRouter
{
    Frr,
    Bird,
}
