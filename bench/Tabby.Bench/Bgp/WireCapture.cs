using System.Buffers.Binary;
using System.Net;
using Tabby.Linux.Capture;
using Tabby.Linux.Netns;
using Tabby.Linux.Processes;

namespace Tabby.Bench.Bgp;

/// <summary>
/// Sees, on the wire of a lab segment, when the first BGP data of a burst passes between two speakers, with the
/// kernel's receive timestamps.
/// </summary>
/// <remarks>
/// Why not the speakers' control sockets: by the time the sender's counters show its first export, the device has
/// already passed thousands of routes on, so the "first route" read from the receiver's counters was how long the
/// receiver, busy importing, took to answer its control socket. Here a <see cref="PacketTap"/> in the segment's
/// fabric namespace reads every packet on the bridge and its ports; after <see cref="Arm"/> the first TCP segment of each watched
/// flow that starts with an UPDATE carrying routes is stamped (<see cref="BgpSegment.StartsWithRoutes"/>), and the last one that
/// carries more than KEEPALIVEs. Setup-time UPDATEs and End-of-RIB markers came before arming.
/// The reading thread runs at SCHED_IDLE, except while <see cref="CatchUp"/> waits. Woken for every packet at normal priority, it took
/// up to half of a core from the device under test while the first routes passed (perf showed it preempting the device
/// every 25-30 µs), and more from a device that takes longer. The stamps are the kernel's, taken on receipt, so reading
/// late changes none of them; a buffer large enough for a whole burst keeps every packet, drops are counted and
/// reported, and <see cref="CatchUp"/> lets the reader run at normal priority until it has read everything.
/// </remarks>
internal sealed class WireCapture : IDisposable
{
    private readonly PacketTap _tap;
    private readonly (uint From, uint To)[] _flows;
    private readonly long[] _firstNs;
    private readonly long[] _lastNs;
    private readonly Thread _reader;
    private volatile bool _armed;
    private volatile bool _stopping;
    private long _drops;
    // Packets stamped before the last Arm belong to the phase before it, however late they are read.
    private long _armedAtNs;
    // CatchUp requests so far, and the latest one a read that came up empty had begun after: that read proves
    // everything stamped before the request has been read.
    private readonly object _gate = new(); // a monitor, for Wait and PulseAll
    private long _requested;
    private long _caughtUpTo;
    private volatile bool _hurry;

    private WireCapture(PacketTap tap, (uint From, uint To)[] flows)
    {
        _tap = tap;
        _flows = flows;
        _firstNs = new long[flows.Length];
        _lastNs = new long[flows.Length];
        _reader = new Thread(Read) { IsBackground = true, Name = "wire capture" };
        _reader.Start();
    }

    /// <summary>Starts reading in <paramref name="fabric"/>; flows are (source, destination) IPv4 pairs.</summary>
    public static WireCapture Start(NetworkNamespace fabric, params (IPAddress From, IPAddress To)[] flows) =>
        // A read returns at least every 50 ms, so Dispose need not wait for traffic.
        new(PacketTap.Open(fabric, TimeSpan.FromMilliseconds(50), bufferBytes: 128 << 20), flows.Select(f => (Key(f.From), Key(f.To))).ToArray());

    /// <summary>Packets the kernel dropped since <see cref="Arm"/> because the reader fell a buffer behind: stamps may be missing.</summary>
    public long Drops() => Interlocked.Add(ref _drops, _tap.TakeDrops());

    /// <summary>From now on, the first and the last data segment of each flow are stamped (again).</summary>
    public void Arm()
    {
        _armed = false;
        _tap.TakeDrops();
        Interlocked.Exchange(ref _drops, 0);
        Array.Clear(_firstNs);
        Array.Clear(_lastNs);
        Volatile.Write(ref _armedAtNs, (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100);
        _armed = true;
    }

    /// <summary>What a line of wire figures adds when the tap dropped packets: its stamps may then be wrong or missing.</summary>
    public static string DropNote(long drops) => drops == 0 ? "" : $" (the tap dropped {drops} packets: a first or last stamp may be wrong)";

    /// <summary>
    /// Waits until the reader has read everything stamped so far: at SCHED_IDLE it falls behind during a burst, so
    /// it reads at normal priority until a read that began after this call comes up empty.
    /// </summary>
    public void CatchUp(TimeSpan deadline)
    {
        var target = Interlocked.Increment(ref _requested);
        _hurry = true;
        try
        {
            var until = DateTime.UtcNow + deadline;
            lock (_gate)
            {
                while (_caughtUpTo < target)
                {
                    var left = until - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                        throw new TimeoutException($"the wire capture did not catch up within {deadline.TotalSeconds:F0} s");
                }
            }
        }
        finally
        {
            _hurry = false;
        }
    }

    /// <summary>Milliseconds from <paramref name="since"/> (UTC) to flow <paramref name="flow"/>'s last data segment so far; null if none.</summary>
    public double? LastSince(int flow, DateTime since)
    {
        var last = Volatile.Read(ref _lastNs[flow]);
        return last == 0 ? null : (last - (since - DateTime.UnixEpoch).Ticks * 100) / 1e6;
    }

    /// <summary>Milliseconds from flow <paramref name="from"/>'s first data to flow <paramref name="to"/>'s; null if either was not seen.</summary>
    public double? Gap(int from, int to)
    {
        var a = Volatile.Read(ref _firstNs[from]);
        var b = Volatile.Read(ref _firstNs[to]);
        return a == 0 || b == 0 ? null : (b - a) / 1e6;
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join();
        _tap.Dispose();
    }

    private void Read()
    {
        ThreadScheduling.MakeCurrentThreadIdle();
        var idle = true;
        var buffer = new byte[256];
        while (!_stopping)
        {
            if (_hurry == idle)
            {
                if (idle)
                    ThreadScheduling.MakeCurrentThreadNormal();
                else
                    ThreadScheduling.MakeCurrentThreadIdle();
                idle = !idle;
            }
            var request = Volatile.Read(ref _requested);
            var n = _tap.Read(buffer);
            if (n == 0)
            {
                lock (_gate)
                {
                    if (request > _caughtUpTo)
                        _caughtUpTo = request;
                    Monitor.PulseAll(_gate);
                }
                continue;
            }
            if (!_armed)
                continue;
            var (flow, dataOffset, dataEnd) = Match(buffer.AsSpan(0, n));
            if (flow < 0 || _tap.LastReceivedNs() is not { } stamp || stamp < Volatile.Read(ref _armedAtNs))
                continue;
            // The data as read: the reader takes the first 256 bytes of each packet, enough for the first message's header.
            var data = buffer.AsSpan(dataOffset, dataEnd - dataOffset);
            if (_firstNs[flow] == 0 && BgpSegment.StartsWithRoutes(data))
                Volatile.Write(ref _firstNs[flow], stamp);
            if (BgpSegment.CarriesMoreThanKeepalives(data))
                Volatile.Write(ref _lastNs[flow], Math.Max(stamp, _lastNs[flow]));
        }
    }

    /// <summary>The watched flow a TCP segment with data belongs to (or -1), and where its data starts and ends in what was read.</summary>
    private (int Flow, int DataOffset, int DataEnd) Match(ReadOnlySpan<byte> packet)
    {
        // Packets of every protocol, from the network header: IPv4 starts with version 4 (an ARP packet, with hardware type 0001, does not).
        if (packet.Length < 40 || packet[0] >> 4 != 4 || packet[9] != 6)
            return (-1, 0, 0);
        var ipHeader = (packet[0] & 0xF) * 4;
        if (packet.Length < ipHeader + 20)
            return (-1, 0, 0);
        var total = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var tcpHeader = (packet[ipHeader + 12] >> 4) * 4;
        var dataOffset = ipHeader + tcpHeader;
        if (total <= dataOffset || packet.Length <= dataOffset)
            return (-1, 0, 0);
        var from = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
        var to = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
        for (var i = 0; i < _flows.Length; i++)
        {
            if (_flows[i].From == from && _flows[i].To == to)
                // The IP length, not the bytes read: a link may pad a short frame, and padding is not data.
                return (i, dataOffset, Math.Min(packet.Length, total));
        }
        return (-1, 0, 0);
    }

    private static uint Key(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
}
