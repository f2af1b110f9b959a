using Tabby.Cni.Protocol;
using Tabby.Datastore;
using Tabby.Ipam.Errors;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netns;
using Tabby.Linux.Sysctls;

namespace Tabby.Cni.Hosting;

/// <summary>Turns whatever a command threw into a CNI error: a code and words for a person, never a stack trace.</summary>
public static class ExceptionMapper
{
    public static CniException ToCni(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CniException cni => cni,
            AggregateException { InnerExceptions.Count: 1 } aggregate => ToCni(aggregate.InnerExceptions[0]),
            DatastoreMissingException e => new CniException(CniErrorCode.TryAgainLater, "the datastore does not exist yet", e.Message + " (the agent, tabby node run, creates it)", e),
            DatastoreUnavailableException e => new CniException(CniErrorCode.TryAgainLater, "the datastore is unavailable", e.Message, e),
            DatastoreConflictException e => new CniException(CniErrorCode.TryAgainLater, "a concurrent change won; try again", e.Message, e),
            DatastoreCompactedException e => new CniException(CniErrorCode.TryAgainLater, "the datastore history moved on; try again", e.Message, e),
            DatastoreException e => new CniException(CniErrorCode.DatastoreData, "datastore failure", e.Message, e),
            IpamException e => FromIpam(e),
            NetlinkException e => new CniException(CniErrorCode.Dataplane, "programming the kernel failed", e.Message, e),
            SysctlException e => new CniException(CniErrorCode.Dataplane, "setting a sysctl failed", e.Message, e),
            NamespaceException e => new CniException(CniErrorCode.Dataplane, "entering a network namespace failed", e.Message, e),
            OperationCanceledException e => new CniException(CniErrorCode.TryAgainLater, "the operation timed out", e.Message, e),
            FormatException e => new CniException(CniErrorCode.DatastoreData, "stored data does not decode", e.Message, e),
            _ => new CniException(CniErrorCode.Internal, $"internal error: {exception.GetType().Name}: {exception.Message}", exception.InnerException?.Message, exception),
        };
    }

    private static CniException FromIpam(IpamException e) => e.Code switch
    {
        IpamErrorCode.InvalidRequest => new CniException(CniErrorCode.InvalidConfig, "invalid address request", e.Message, e),
        IpamErrorCode.NoQualifiedPool or IpamErrorCode.Exhausted or IpamErrorCode.BlockLimit =>
            new CniException(CniErrorCode.NoAddress, "no address could be assigned", e.Message, e),
        IpamErrorCode.NotInPool or IpamErrorCode.Reserved or IpamErrorCode.InUse or IpamErrorCode.StrictAffinity =>
            new CniException(CniErrorCode.AddressUnavailable, "the requested address cannot be assigned", e.Message, e),
        IpamErrorCode.Contention => new CniException(CniErrorCode.TryAgainLater, "too many concurrent IPAM writers; try again", e.Message, e),
        _ => new CniException(CniErrorCode.DatastoreData, "IPAM data is inconsistent", e.Message, e),
    };
}
