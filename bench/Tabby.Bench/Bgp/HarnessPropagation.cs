using System.Diagnostics;
using System.Net;
using Tabby.Lab.Daemons;
using Tabby.Lab.Namespaces;
using Tabby.Lab.Topology;

namespace Tabby.Bench.Bgp;

/// <summary>The device alone: the benchmark's own minimal peers blast pre-encoded UPDATEs in and count what comes out, with no RIB work of their own.</summary>
internal static class HarnessPropagation
{
    public static async Task<PropagationResult> RunAsync(string kind, int count, string dir, TimeSpan deadline)
    {
        using var namespaces = new NamespaceSet("bhar");
        var segment = Segment.Build(namespaces, 3);
        var (senderHost, dutHost, receiverHost) = (segment.Members[0], segment.Members[1], segment.Members[2]);
        var (announce, withdraw) = BenchRoutes.Encoded(count, senderHost.Address);
        using var dut = Devices.Start(kind, dutHost, [senderHost.Address, receiverHost.Address], dir);
        var receiver = await HarnessSession.ConnectAsync(receiverHost.Namespace, receiverHost.Address, dutHost.Address, Devices.As, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await using var receiverScope = receiver.ConfigureAwait(false);
        receiver.CountOnly = BenchRoutes.Range;
        var sender = await HarnessSession.ConnectAsync(senderHost.Namespace, senderHost.Address, dutHost.Address, Devices.As, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await using var senderScope = sender.ConfigureAwait(false);
        await CommandRunner.WaitUntilAsync(() => (dut.IsEstablished(senderHost.Address) && dut.IsEstablished(receiverHost.Address), dut.Log()),
            TimeSpan.FromSeconds(30), $"{kind} to establish both harness sessions").ConfigureAwait(false);

        using var wire = WireCapture.Start(segment.Fabric, (senderHost.Address, dutHost.Address), (dutHost.Address, receiverHost.Address));
        wire.Arm();
        var cpuBefore = DeviceProcess.CpuMs(dut.Pid);
        var watch = Stopwatch.StartNew();
        receiver.Clock = watch;
        var receiving = receiver.ReceiveUntilAsync(r => r.Announced >= count, deadline);
        await sender.SendAsync(announce).ConfigureAwait(false);
        var complete = await receiving.ConfigureAwait(false);
        double? announced = complete ? watch.Elapsed.TotalMilliseconds : null;
        var cpu = DeviceProcess.CpuMs(dut.Pid) - cpuBefore;
        if (dut is TabbyDaemon tabby && tabby.Request("status") is { } status)
            Console.Error.WriteLine("tabby memory after the burst: " + System.Text.Json.JsonDocument.Parse(status).RootElement.GetProperty("memory"));
        var lost = count - receiver.Announced;
        // The first route is timed on the wire, as in the BIRD scenario: the harness receiver, a .NET peer in this
        // process, decoded Tabby's first UPDATE 8-15 ms after the sender's start, while the wire showed it leaving the
        // device 0.3-0.7 ms after the sender's first arrived (BIRD's 0.4-0.8): a fast device buries the receiver.
        wire.CatchUp(TimeSpan.FromSeconds(10));
        var first = wire.Gap(0, 1);
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{kind} (harness peers) first route on the wire {first:F3} ms after the sender's; the receiver decoded one at {receiver.FirstMs:F2} ms{WireCapture.DropNote(wire.Drops())}"));

        watch.Restart();
        var held = receiver.Announced;
        receiving = receiver.ReceiveUntilAsync(r => r.Withdrawn >= held, deadline);
        await sender.SendAsync(withdraw).ConfigureAwait(false);
        double? withdrawn = await receiving.ConfigureAwait(false) ? watch.Elapsed.TotalMilliseconds : null;
        lost += held - receiver.Withdrawn;
        return new PropagationResult(first, announced, withdrawn, DeviceProcess.PeakRssMb(dut.Pid), lost, cpu);
    }
}
