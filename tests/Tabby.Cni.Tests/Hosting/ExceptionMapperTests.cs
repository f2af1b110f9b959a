using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;
using Tabby.Datastore;
using Tabby.Ipam.Errors;
using Tabby.Linux.Netlink;

namespace Tabby.Cni.Tests.Hosting;

public sealed class ExceptionMapperTests
{
    [Theory]
    [InlineData(IpamErrorCode.InvalidRequest, CniErrorCode.InvalidConfig)]
    [InlineData(IpamErrorCode.NoQualifiedPool, CniErrorCode.NoAddress)]
    [InlineData(IpamErrorCode.Exhausted, CniErrorCode.NoAddress)]
    [InlineData(IpamErrorCode.BlockLimit, CniErrorCode.NoAddress)]
    [InlineData(IpamErrorCode.NotInPool, CniErrorCode.AddressUnavailable)]
    [InlineData(IpamErrorCode.Reserved, CniErrorCode.AddressUnavailable)]
    [InlineData(IpamErrorCode.InUse, CniErrorCode.AddressUnavailable)]
    [InlineData(IpamErrorCode.StrictAffinity, CniErrorCode.AddressUnavailable)]
    [InlineData(IpamErrorCode.Contention, CniErrorCode.TryAgainLater)]
    [InlineData(IpamErrorCode.Corrupt, CniErrorCode.DatastoreData)]
    public void Ipam_failures_map_to_what_a_runtime_can_act_on(IpamErrorCode ipam, int cni)
    {
        var mapped = ExceptionMapper.ToCni(new IpamException(ipam, "why"));
        Assert.Equal(cni, mapped.Code);
        Assert.Equal("why", mapped.Details);
    }

    [Fact]
    public void Transient_datastore_failures_say_try_again_later()
    {
        Assert.Equal(CniErrorCode.TryAgainLater, ExceptionMapper.ToCni(new DatastoreUnavailableException("etcd:http://x", null)).Code);
        Assert.Equal(CniErrorCode.TryAgainLater, ExceptionMapper.ToCni(new DatastoreConflictException("k", 1, 2)).Code);
        Assert.Equal(CniErrorCode.TryAgainLater, ExceptionMapper.ToCni(new DatastoreMissingException("/var/lib/tabby/tabby.db")).Code);
        Assert.Equal(CniErrorCode.TryAgainLater, ExceptionMapper.ToCni(new OperationCanceledException()).Code);
    }

    [Fact]
    public void Kernel_failures_are_dataplane_errors_and_anything_else_internal()
    {
        Assert.Equal(CniErrorCode.Dataplane, ExceptionMapper.ToCni(new NetlinkException(17, "RTM_NEWLINK veth x")).Code);
        var other = ExceptionMapper.ToCni(new ArgumentException("nope"));
        Assert.Equal(CniErrorCode.Internal, other.Code);
        Assert.Equal("internal error: ArgumentException: nope", other.Message);
    }
}
