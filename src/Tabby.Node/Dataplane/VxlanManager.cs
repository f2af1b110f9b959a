using System.Net;
using Tabby.Core.Addressing;
using Tabby.Linux.Interop;
using Tabby.Linux.Netlink;
using Tabby.Linux.Netlink.Addresses;
using Tabby.Linux.Netlink.Links;
using Tabby.Linux.Netlink.Neighbours;
using Tabby.Linux.Netlink.Routes;
using Tabby.Node.Calc;

namespace Tabby.Node.Dataplane;

/// <summary>Owns the VTEP device <c>vxlan.calico</c>: its settings and address, its FDB and neighbour entries, and
/// the routes through it. What it programs comes from the overlay plan; anything else on the device is removed.</summary>
/// <remarks>
/// Felix's vxlan_mgr: VNI 4096, UDP 4789, no learning (every remote VTEP is told, none is learned), MTU the uplink's
/// minus 50 (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14). A device whose settings differ is replaced.
/// </remarks>
public sealed class VxlanManager(RtNetlinkClient netlink, TimeSpan? linger = null, TimeProvider? time = null)
{
    private readonly TimeSpan _linger = linger ?? TimeSpan.Zero;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public const string DeviceName = "vxlan.calico";
    public const uint Vni = 4096;
    public const ushort Port = 4789;
    public const int Overhead = 50;

    /// <summary>The device's index after the last apply, 0 when there is none.</summary>
    public int DeviceIndex { get; private set; }

    /// <summary>The device's MTU after the last apply.</summary>
    public int DeviceMtu { get; private set; }

    /// <summary>When a device no plan wants any more is due to go (an apply then removes it), or null.</summary>
    public DateTimeOffset? RetireAt { get; private set; }

    /// <summary>Makes the kernel match the plan; returns the routes to program (through the device, or straight on the
    /// uplink for same-subnet nodes) and what was changed, for the log.</summary>
    public (List<Route> Routes, List<string> Changes) Apply(OverlayPlan plan, IReadOnlyList<Link> links)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(links);
        var changes = new List<string>();
        var existing = links.FirstOrDefault(l => l.Name == DeviceName);
        var routes = new List<Route>();
        if (plan.Vtep is not { } vtep)
        {
            if (existing is not null)
            {
                // Routes leave the device at once (below, and BGP's take their place); the device itself stays a
                // moment to decapsulate what other nodes still send through it.
                var now = _time.GetUtcNow();
                RetireAt ??= now + _linger;
                if (now >= RetireAt)
                {
                    netlink.Links.Delete(existing.Index);
                    changes.Add($"deleted {DeviceName} (no VXLAN pool, or no tunnel address yet)");
                    RetireAt = null;
                }
            }
            else
            {
                RetireAt = null;
            }

            DeviceIndex = 0;
            DeviceMtu = 0;
            // CrossSubnet routes to same-subnet nodes need no device.
            if (plan.Routes.Any(r => !r.Tunnel))
            {
                var uplink = Uplink(plan.Routes.First(r => !r.Tunnel).Gateway);
                routes.AddRange(plan.Routes.Where(r => !r.Tunnel).Select(r => Route.Via(r.Destination, r.Gateway, uplink?.Index ?? 0)));
            }

            return (routes, changes);
        }

        RetireAt = null;
        var parent = Uplink(vtep.Underlay)
            ?? throw new IOException($"no interface holds the node address {vtep.Underlay}: cannot place the VXLAN device");
        var mtu = parent.Mtu - Overhead;
        var wanted = new VxlanInfo(Vni, Port, vtep.Underlay, parent.Index, Learning: false);
        if (existing is not null && (existing.Vxlan != wanted || existing.Mac != vtep.Mac))
        {
            netlink.Links.Delete(existing.Index);
            changes.Add($"replaced {DeviceName}: it was {existing.Vxlan} {existing.Mac}");
            existing = null;
        }

        if (existing is null)
        {
            existing = netlink.Links.CreateVxlan(new VxlanSpec(DeviceName, Vni)
            {
                Port = Port,
                Local = vtep.Underlay,
                ParentIndex = parent.Index,
                Mac = vtep.Mac,
                Mtu = mtu,
            });
            changes.Add($"created {DeviceName} vni {Vni} port {Port} local {vtep.Underlay} dev {parent.Name} mtu {mtu} address {vtep.Mac}");
        }
        else
        {
            if (existing.Mtu != mtu)
            {
                netlink.Links.SetMtu(existing.Index, mtu);
                changes.Add($"{DeviceName} mtu {existing.Mtu} -> {mtu}");
            }

            if (!existing.IsUp)
                netlink.Links.SetUp(existing.Index, true);
        }

        var index = existing.Index;
        DeviceIndex = index;
        DeviceMtu = mtu;
        SyncAddress(index, vtep.TunnelAddress, changes);
        SyncFdb(index, plan.Remotes, changes);
        SyncNeighbours(index, plan.Remotes, changes);
        foreach (var route in plan.Routes)
        {
            routes.Add(route.Tunnel
                ? Route.Via(route.Destination, route.Gateway, index) with { OnLink = true }
                : Route.Via(route.Destination, route.Gateway, parent.Index));
        }

        return (routes, changes);
    }

    private Link? Uplink(IPAddress address)
    {
        var holder = netlink.Addresses.List().FirstOrDefault(a => a.Address.Equals(address));
        if (holder is not null)
            return netlink.Links.Get(holder.InterfaceIndex);
        // A same-subnet gateway: the interface whose subnet covers it.
        var covering = netlink.Addresses.List().FirstOrDefault(a => a.Address.AddressFamily == address.AddressFamily
            && IpPrefix.Masked(a.Address, a.PrefixLength).Contains(address));
        return covering is null ? null : netlink.Links.Get(covering.InterfaceIndex);
    }

    private void SyncAddress(int index, IPAddress tunnel, List<string> changes)
    {
        var have = netlink.Addresses.List(index).Where(a => a.Address.AddressFamily == tunnel.AddressFamily && a.Scope == 0).ToList();
        foreach (var stale in have.Where(a => !a.Address.Equals(tunnel) || a.PrefixLength != 32))
        {
            netlink.Addresses.Delete(stale);
            changes.Add($"{DeviceName}: removed address {stale.Address}/{stale.PrefixLength}");
        }

        if (!have.Any(a => a.Address.Equals(tunnel) && a.PrefixLength == 32))
        {
            netlink.Addresses.Replace(new InterfaceAddress(index, tunnel, 32));
            changes.Add($"{DeviceName}: address {tunnel}/32");
        }
    }

    private void SyncFdb(int index, IReadOnlyList<RemoteVtep> remotes, List<string> changes)
    {
        var wanted = remotes.Select(r => new FdbEntry(index, r.Mac, r.Underlay)).ToHashSet();
        var have = netlink.Links.ListFdb(index).Where(e => e.Destination is not null).Select(e => e with { Permanent = true }).ToList();
        foreach (var stale in have.Where(e => !wanted.Contains(e)))
        {
            Tolerate(() => netlink.Links.DeleteFdb(stale));
            changes.Add($"fdb removed {stale}");
        }

        foreach (var entry in wanted.Where(e => !have.Contains(e)))
        {
            netlink.Links.AddFdb(entry, replace: true);
            changes.Add($"fdb {entry}");
        }
    }

    private void SyncNeighbours(int index, IReadOnlyList<RemoteVtep> remotes, List<string> changes)
    {
        var wanted = remotes.Select(r => new Neighbour(index, r.TunnelAddress, r.Mac)).ToHashSet();
        var have = netlink.Neighbours.List(index).Where(n => !n.IsIPv6).ToList();
        foreach (var stale in have.Where(n => !wanted.Contains(n)))
        {
            Tolerate(() => netlink.Neighbours.Delete(stale));
            changes.Add($"neighbour removed {stale}");
        }

        foreach (var neighbour in wanted.Where(n => !have.Contains(n)))
        {
            netlink.Neighbours.Replace(neighbour);
            changes.Add($"neighbour {neighbour}");
        }
    }

    private static void Tolerate(Action delete)
    {
        try
        {
            delete();
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENOENT or Errno.ESRCH)
        {
            // Gone already.
        }
    }
}
