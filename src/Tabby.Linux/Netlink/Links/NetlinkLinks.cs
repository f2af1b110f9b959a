using System.Net;
using System.Net.Sockets;
using Tabby.Core.Addressing;
using Tabby.Core.Naming;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink.Protocol;
using Tabby.Linux.Netns;

namespace Tabby.Linux.Netlink.Links;

/// <summary>Link operations over one rtnetlink socket: list, get, create (veth, bridge, VXLAN, IPIP), change, move, delete, FDB.</summary>
public sealed class NetlinkLinks
{
    private const ushort CreateFlags = MessageFlags.Request | MessageFlags.Create | MessageFlags.Excl;
    private const string IpipKind = "ipip";
    private readonly NetlinkSocket _socket;

    internal NetlinkLinks(NetlinkSocket socket) => _socket = socket;

    public List<Link> List() => _socket.Dump<Link>(
        static (w, s) =>
        {
            w.BeginMessage(MessageTypes.GetLink, MessageFlags.Request | MessageFlags.Dump, s);
            LinkCodec.WriteHeader(w, 0);
            w.EndMessage();
        },
        static (message, out link) => LinkCodec.TryParse(message, out link),
        "RTM_GETLINK dump");

    /// <summary>The link with this name, or null.</summary>
    public Link? Get(string name)
    {
        InterfaceNames.EnsureValid(name);
        return _socket.Query<Link>(
            (w, s) =>
            {
                w.BeginMessage(MessageTypes.GetLink, MessageFlags.Request, s);
                LinkCodec.WriteHeader(w, 0);
                w.AttributeString(LinkAttributes.IfName, name);
                w.EndMessage();
            },
            static (message, out link) => LinkCodec.TryParse(message, out link),
            $"RTM_GETLINK {name}",
            Errno.ENODEV);
    }

    /// <summary>The link with this index, or null.</summary>
    public Link? Get(int index) => _socket.Query<Link>(
        (w, s) =>
        {
            w.BeginMessage(MessageTypes.GetLink, MessageFlags.Request, s);
            LinkCodec.WriteHeader(w, index);
            w.EndMessage();
        },
        static (message, out link) => LinkCodec.TryParse(message, out link),
        $"RTM_GETLINK index {index}",
        Errno.ENODEV);

    public Link GetRequired(string name) => Get(name) ?? throw new NetlinkException(Errno.ENODEV, $"RTM_GETLINK {name}");

    /// <summary>
    /// Creates a veth pair, the peer directly in its namespace, then sets this end's MAC and state.
    /// If that second step fails the pair is deleted again, so a failure leaves nothing behind.
    /// </summary>
    public Link CreateVeth(VethSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        InterfaceNames.EnsureValid(spec.Name);
        InterfaceNames.EnsureValid(spec.PeerName);
        var peerNamespaceFd = -1;
        var added = false;
        spec.PeerNamespace?.Handle.DangerousAddRef(ref added);
        try
        {
            if (added)
                peerNamespaceFd = (int)spec.PeerNamespace!.Handle.DangerousGetHandle();
            _socket.Execute(spec, (w, v, s) =>
            {
                w.BeginMessage(MessageTypes.NewLink, CreateFlags, s);
                LinkCodec.WriteHeader(w, 0);
                w.AttributeString(LinkAttributes.IfName, v.Name);
                if (v.Mtu is { } mtu)
                    w.AttributeI32(LinkAttributes.Mtu, mtu);
                var info = w.BeginNested(LinkAttributes.LinkInfo);
                w.AttributeString(LinkAttributes.InfoKind, "veth");
                var data = w.BeginNested(LinkAttributes.InfoData);
                var peer = w.BeginNested(LinkAttributes.VethPeer);
                LinkCodec.WriteHeader(w, 0); // the peer's own ifinfomsg precedes its attributes
                w.AttributeString(LinkAttributes.IfName, v.PeerName);
                if (peerNamespaceFd >= 0)
                    w.AttributeI32(LinkAttributes.NetNsFd, peerNamespaceFd);
                if (v.Mtu is { } peerMtu)
                    w.AttributeI32(LinkAttributes.Mtu, peerMtu);
                if (v.PeerMac is { } peerMac)
                    LinkCodec.WriteMac(w, LinkAttributes.Address, peerMac);
                w.EndNested(peer);
                w.EndNested(data);
                w.EndNested(info);
                w.EndMessage();
            }, v => $"RTM_NEWLINK veth {v.Name} peer {v.PeerName}{(v.PeerNamespace is null ? string.Empty : $" netns {v.PeerNamespace}")}");
        }
        finally
        {
            if (added)
                spec.PeerNamespace!.Handle.DangerousRelease();
        }

        var link = GetRequired(spec.Name);
        try
        {
            if (spec.Mac is not null || spec.Up)
                Change(link.Index, spec.Mac, up: spec.Up ? true : null, $"configuring veth {spec.Name}");
        }
        catch
        {
            // Deleting one end removes both, wherever the peer lives.
            TryDelete(link.Index);
            throw;
        }
        return GetRequired(spec.Name);
    }

    public Link CreateBridge(string name, int? mtu = null, bool up = true)
    {
        InterfaceNames.EnsureValid(name);
        CreateSimple(name, "bridge", mtu);
        return FinishCreate(name, up);
    }

    public Link CreateVxlan(VxlanSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        InterfaceNames.EnsureValid(spec.Name);
        if (spec.Vni > 0xFFFFFF)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Vni, "A VXLAN network identifier has 24 bits.");
        _socket.Execute(spec, static (w, v, s) => VxlanCodec.WriteCreate(w, v, s), static v => $"RTM_NEWLINK vxlan {v.Name} id {v.Vni} dstport {v.Port}");
        return FinishCreate(spec.Name, up: true);
    }

    /// <summary>Creates an IPIP device, or says plainly that this kernel has no IPIP driver.</summary>
    public Link CreateIpip(IpipSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        InterfaceNames.EnsureValid(spec.Name);
        try
        {
            _socket.Execute(spec, static (w, v, s) =>
            {
                w.BeginMessage(MessageTypes.NewLink, CreateFlags, s);
                LinkCodec.WriteHeader(w, 0);
                w.AttributeString(LinkAttributes.IfName, v.Name);
                var info = w.BeginNested(LinkAttributes.LinkInfo);
                w.AttributeString(LinkAttributes.InfoKind, IpipKind);
                var data = w.BeginNested(LinkAttributes.InfoData);
                if (v.ParentIndex != 0)
                    w.AttributeI32(LinkAttributes.IpTunLink, v.ParentIndex);
                if (v.Local is { } local)
                    w.AttributeAddress(LinkAttributes.IpTunLocal, local);
                if (v.Remote is { } remote)
                    w.AttributeAddress(LinkAttributes.IpTunRemote, remote);
                w.EndNested(data);
                w.EndNested(info);
                w.EndMessage();
            }, static v => $"RTM_NEWLINK {IpipKind} {v.Name}");
        }
        catch (NetlinkException e) when (e.Errno == Errno.EOPNOTSUPP && !LinkDrivers.IsAvailable(IpipKind))
        {
            // The message names the kind that was sent, so a request for the wrong kind cannot pass for this.
            throw new NetlinkException(e.Errno, $"RTM_NEWLINK {IpipKind} {spec.Name}",
                $"this kernel has no driver for link kind '{IpipKind}' (module {IpipKind} is not built or cannot be loaded); use VXLAN or direct routing instead");
        }
        return FinishCreate(spec.Name, up: true);
    }

    public void Delete(int index) => _socket.Execute(index, static (w, i, s) =>
    {
        w.BeginMessage(MessageTypes.DelLink, MessageFlags.Request, s);
        LinkCodec.WriteHeader(w, i);
        w.EndMessage();
    }, static i => $"RTM_DELLINK index {i}");

    public void Delete(string name) => Delete(GetRequired(name).Index);

    public void SetUp(int index, bool up) => Change(index, null, up, $"set link {index} {(up ? "up" : "down")}");

    public void SetMtu(int index, int mtu) => Modify(index, $"set link {index} mtu {mtu}", w => w.AttributeI32(LinkAttributes.Mtu, mtu));

    public void SetMac(int index, MacAddress mac) => Change(index, mac, null, $"set link {index} address {mac}");

    public void Rename(int index, string newName)
    {
        InterfaceNames.EnsureValid(newName);
        Modify(index, $"rename link {index} to {newName}", w => w.AttributeString(LinkAttributes.IfName, newName));
    }

    /// <summary>Enslaves a link to a bridge (or frees it with 0).</summary>
    public void SetMaster(int index, int masterIndex) =>
        Modify(index, $"set link {index} master {masterIndex}", w => w.AttributeI32(LinkAttributes.Master, masterIndex));

    /// <summary>Moves a link into another namespace; it disappears from this one and keeps its name there.</summary>
    public void MoveToNamespace(int index, NetworkNamespace target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var added = false;
        target.Handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)target.Handle.DangerousGetHandle();
            Modify(index, $"move link {index} to netns {target}", w => w.AttributeI32(LinkAttributes.NetNsFd, fd));
        }
        finally
        {
            if (added)
                target.Handle.DangerousRelease();
        }
    }

    /// <summary>Adds an FDB entry; with <paramref name="replace"/> an entry for the same MAC is overwritten (as `bridge fdb replace`), else appended.</summary>
    public void AddFdb(FdbEntry entry, bool replace = false) => _socket.Execute(entry, (w, e, s) =>
        FdbCodec.Write(w, MessageTypes.NewNeigh, (ushort)(MessageFlags.Request | MessageFlags.Create | (replace ? MessageFlags.Replace : MessageFlags.Append)), e, s),
        static e => $"RTM_NEWNEIGH fdb {e}");

    public void DeleteFdb(FdbEntry entry) => _socket.Execute(entry,
        static (w, e, s) => FdbCodec.Write(w, MessageTypes.DelNeigh, MessageFlags.Request, e, s),
        static e => $"RTM_DELNEIGH fdb {e}");

    /// <summary>The FDB entries of one device (0: all devices).</summary>
    public List<FdbEntry> ListFdb(int index = 0)
    {
        var entries = _socket.Dump<FdbEntry>(
            (w, s) => FdbCodec.WriteDumpRequest(w, index, s),
            static (message, out entry) => FdbCodec.TryParse(message, out entry),
            "RTM_GETNEIGH fdb dump");
        return index == 0 ? entries : entries.FindAll(e => e.InterfaceIndex == index);
    }

    private void CreateSimple(string name, string kind, int? mtu) => _socket.Execute((name, kind, mtu), static (w, v, s) =>
    {
        w.BeginMessage(MessageTypes.NewLink, CreateFlags, s);
        LinkCodec.WriteHeader(w, 0);
        w.AttributeString(LinkAttributes.IfName, v.name);
        if (v.mtu is { } m)
            w.AttributeI32(LinkAttributes.Mtu, m);
        var info = w.BeginNested(LinkAttributes.LinkInfo);
        w.AttributeString(LinkAttributes.InfoKind, v.kind);
        w.EndNested(info);
        w.EndMessage();
    }, static v => $"RTM_NEWLINK {v.kind} {v.name}");

    /// <summary>Brings a freshly created device up, deleting it again if that fails so nothing half-made remains.</summary>
    private Link FinishCreate(string name, bool up)
    {
        var link = GetRequired(name);
        if (!up)
            return link;
        try
        {
            SetUp(link.Index, true);
        }
        catch
        {
            TryDelete(link.Index);
            throw;
        }
        return GetRequired(name);
    }

    private void TryDelete(int index)
    {
        try
        {
            Delete(index);
        }
        catch (NetlinkException)
        {
            // The original failure is the one worth reporting; the link may already be gone.
        }
    }

    private void Change(int index, MacAddress? mac, bool? up, string description) =>
        _socket.Execute((index, mac, up), static (w, v, s) =>
        {
            w.BeginMessage(MessageTypes.NewLink, MessageFlags.Request, s);
            var flags = v.up == true ? LinkAttributes.FlagUp : 0u;
            var change = v.up is null ? 0u : LinkAttributes.FlagUp;
            LinkCodec.WriteHeader(w, v.index, flags, change);
            if (v.mac is { } m)
                LinkCodec.WriteMac(w, LinkAttributes.Address, m);
            w.EndMessage();
        }, _ => description);

    private void Modify(int index, string description, Action<NetlinkWriter> attributes) =>
        _socket.Execute((index, attributes), static (w, v, s) =>
        {
            w.BeginMessage(MessageTypes.NewLink, MessageFlags.Request, s);
            LinkCodec.WriteHeader(w, v.index);
            v.attributes(w);
            w.EndMessage();
        }, _ => description);
}
