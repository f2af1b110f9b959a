using System.Diagnostics;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Bench.Bgp;

/// <summary>
/// The network case: a BIRD sender streams the table through the device (a route reflector) to a BIRD receiver.
/// The sender's static protocol is enabled (then disabled) over its control socket, and both BIRDs' protocol
/// counters are polled over their control sockets every millisecond for the last route, so nothing of the harness
/// runs inside the measured path. Announcement times start when the sender's counters first show a route exported
/// to the device, not at the enable command: BIRD first loads the whole static table, and that is the sender's
/// time, not the device's. The first route is timed on the wire instead (<see cref="WireCapture"/>): from the
/// sender's first UPDATE to the device's first UPDATE to the receiver. Polled, it measured the receiver's answer:
/// by the time the sender's counters moved, the receiver already held hundreds to tens of thousands of routes from
/// any device, and a busier receiver (fed by a faster device) answered later.
/// </summary>
internal static class BirdPropagation
{
    private const string Table = "bench";

    public static async Task<PropagationResult> RunAsync(string kind, int count, string dir, TimeSpan deadline)
    {
        using var namespaces = new NamespaceSet("bbgp");
        var segment = Segment.Build(namespaces, 3);
        var (senderHost, dutHost, receiverHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        using var dut = Devices.Start(kind, dutHost, [senderHost.Address, receiverHost.Address], Path.Combine(dir, "dut"));
        using var sender = BirdDaemon.Start(senderHost.Namespace, new BgpRouterSpec(senderHost.Address, Devices.As, senderHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(dutHost.Address, Devices.As)],
            ExtraConfig = BenchRoutes.BirdStatic(Table, count),
        }, Path.Combine(dir, "sender"));
        using var receiver = BirdDaemon.Start(receiverHost.Namespace, new BgpRouterSpec(receiverHost.Address, Devices.As, receiverHost.Address)
        {
            Neighbors = [new BgpNeighborSpec(dutHost.Address, Devices.As) { ImportOnly = BenchRoutes.Range }],
        }, Path.Combine(dir, "receiver"));
        await CommandRunner.WaitUntilAsync(() => (dut.IsEstablished(senderHost.Address) && dut.IsEstablished(receiverHost.Address)
            && sender.IsEstablished(dutHost.Address) && receiver.IsEstablished(dutHost.Address), dut.Log()),
            TimeSpan.FromSeconds(60), $"{kind} to establish both sessions").ConfigureAwait(false);

        using var senderControl = new BirdControl(sender.ControlSocket);
        using var receiverControl = new BirdControl(receiver.ControlSocket);
        var protocol = receiver.ProtocolName(dutHost.Address);
        if (receiverControl.Imported(protocol) != 0)
            throw new InvalidOperationException("the receiver holds benchmark routes before the run");

        var senderProtocol = sender.ProtocolName(dutHost.Address);
        Console.Error.WriteLine($"{kind} memory before the burst: {DeviceProcess.Memory(dut.Pid)}");
        using var wire = WireCapture.Start(segment.Fabric, (senderHost.Address, dutHost.Address), (dutHost.Address, receiverHost.Address));
        wire.Arm();
        var cpuBefore = DeviceProcess.CpuMs(dut.Pid);
        var watch = Stopwatch.StartNew();
        senderControl.Command("enable " + Table);
        double? senderFirst = null;
        double? first = null, announced = null;
        var held = 0;
        while (watch.Elapsed < deadline)
        {
            if (senderFirst is null && senderControl.Exported(senderProtocol) > 0)
                senderFirst = watch.Elapsed.TotalMilliseconds;
            held = receiverControl.Imported(protocol);
            if (held > 0)
                first ??= watch.Elapsed.TotalMilliseconds;
            if (held >= count)
            {
                announced = watch.Elapsed.TotalMilliseconds;
                break;
            }
            Thread.Sleep(1);
        }
        var cpu = DeviceProcess.CpuMs(dut.Pid) - cpuBefore;
        var tabby = dut as TabbyDaemon;
        if (tabby?.Request("status") is { } status)
            Console.Error.WriteLine("tabby memory after the burst: " + System.Text.Json.JsonDocument.Parse(status).RootElement.GetProperty("memory"));
        Console.Error.WriteLine($"{kind} memory after the burst: {DeviceProcess.Memory(dut.Pid)}");
        // Times count from the sender's first export: before it, BIRD loads its static table, which takes it
        // 200-450 ms here, differently each run, and is the sender's time, not the device's.
        var start = senderFirst ?? 0;
        var polledFirst = first - start is { } f ? Math.Max(0, f) : (double?)null;
        // The first route is timed on the wire (see WireCapture): polled, it was the receiver's answer time.
        wire.CatchUp(TimeSpan.FromSeconds(10));
        first = wire.Gap(0, 1);
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{kind} first route on the wire {first:F3} ms after the sender's; the receiver's counters showed one {polledFirst:F1} ms after the sender's did{WireCapture.DropNote(wire.Drops())}"));
        announced -= start;
        var lost = count - held;

        wire.Arm();
        var withdrawCpuBefore = DeviceProcess.CpuMs(dut.Pid);
        var disabledAt = DateTime.UtcNow;
        watch.Restart();
        senderControl.Command("disable " + Table);
        double? withdrawn = null;
        while (watch.Elapsed < deadline)
        {
            held = receiverControl.Imported(protocol);
            if (held == 0)
            {
                withdrawn = watch.Elapsed.TotalMilliseconds;
                break;
            }
            Thread.Sleep(1);
        }
        // Where a withdrawal's time goes: the sender's own pace, or the device's tail after the sender's last UPDATE.
        var withdrawCpu = DeviceProcess.CpuMs(dut.Pid) - withdrawCpuBefore;
        wire.CatchUp(TimeSpan.FromSeconds(10));
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{kind} withdrawal on the wire: the sender's last UPDATE {wire.LastSince(0, disabledAt):F1} ms after the disable command, the device's last {wire.LastSince(1, disabledAt):F1} ms (device CPU {withdrawCpu:F0} ms){WireCapture.DropNote(wire.Drops())}"));
        Console.Error.WriteLine($"{kind} memory after the withdrawal: {DeviceProcess.Memory(dut.Pid)}");
        if (tabby?.Request("status") is { } after)
            Console.Error.WriteLine("tabby memory after the withdrawal: " + System.Text.Json.JsonDocument.Parse(after).RootElement.GetProperty("memory"));
        // A withdrawal that never arrived is a route the receiver still forwards on: lost, not slow.
        lost += held;
        return new PropagationResult(first, announced, withdrawn, DeviceProcess.PeakRssMb(dut.Pid), lost, cpu);
    }
}
