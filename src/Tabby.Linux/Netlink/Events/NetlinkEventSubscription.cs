using System.Threading.Channels;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Protocol;
using Tabby.Linux.Netlink.Routes;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Netlink.Events;

/// <summary>A live stream of link, address and route changes in one namespace.</summary>
/// <remarks>
/// A dedicated thread blocks in recv and feeds a channel, so readers await without holding a
/// thread. Disposing closes the socket, which ends the blocked recv and the stream.
/// </remarks>
public sealed class NetlinkEventSubscription : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Channel<NetlinkEvent> _events = Channel.CreateUnbounded<NetlinkEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Thread _reader;
    private volatile bool _disposed;

    private NetlinkEventSubscription(NetlinkSocket socket)
    {
        _socket = socket;
        // A blocked recv on a netlink socket is not woken by close(2); a short timeout lets the
        // reader notice disposal instead.
        _socket.ReceiveTimeout = TimeSpan.FromMilliseconds(200);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "tabby-netlink-events" };
        _reader.Start();
    }

    public ChannelReader<NetlinkEvent> Events => _events.Reader;

    public static NetlinkEventSubscription Subscribe(NetworkNamespace networkNamespace, NetlinkEventKinds kinds = NetlinkEventKinds.All)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        var groups = Groups(kinds);
        return new NetlinkEventSubscription(networkNamespace.Run(() => NetlinkSocket.Open(groups)));
    }

    public IAsyncEnumerable<NetlinkEvent> ReadAllAsync(CancellationToken cancellationToken = default) => _events.Reader.ReadAllAsync(cancellationToken);

    private static int[] Groups(NetlinkEventKinds kinds)
    {
        var groups = new List<int>();
        if (kinds.HasFlag(NetlinkEventKinds.Links))
            groups.Add(MulticastGroups.Link);
        if (kinds.HasFlag(NetlinkEventKinds.Addresses))
            groups.AddRange([MulticastGroups.IPv4Address, MulticastGroups.IPv6Address]);
        if (kinds.HasFlag(NetlinkEventKinds.Routes))
            groups.AddRange([MulticastGroups.IPv4Route, MulticastGroups.IPv6Route]);
        return [.. groups];
    }

    private void ReadLoop()
    {
        try
        {
            while (!_disposed)
            {
                ReadOnlySpan<byte> data;
                try
                {
                    data = _socket.ReceiveRaw();
                }
                catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.TimedOut or System.Net.Sockets.SocketError.WouldBlock)
                {
                    continue;
                }
                catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.NoBufferSpaceAvailable)
                {
                    _events.Writer.TryWrite(new EventsLost());
                    continue;
                }
                while (NetlinkMessage.TryRead(ref data, out var message))
                {
                    if (Decode(message) is { } e)
                        _events.Writer.TryWrite(e);
                }
            }
            _events.Writer.TryComplete();
        }
        catch (Exception e) when (_disposed && e is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            _events.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(new NetlinkException($"netlink event stream failed: {e.Message}", e));
        }
    }

    private static NetlinkEvent? Decode(NetlinkMessage message) => message.Type switch
    {
        MessageTypes.NewLink or MessageTypes.DelLink when LinkCodec.TryParse(message, out var link) =>
            new LinkEvent(link, message.Type == MessageTypes.DelLink),
        MessageTypes.NewAddr or MessageTypes.DelAddr when AddressCodec.TryParse(message, out var address) =>
            new AddressEvent(address, message.Type == MessageTypes.DelAddr),
        MessageTypes.NewRoute or MessageTypes.DelRoute when RouteCodec.TryParse(message, out var route) =>
            new RouteEvent(route, message.Type == MessageTypes.DelRoute),
        _ => null,
    };

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        _reader.Join(TimeSpan.FromSeconds(2));
    }
}
