using System.Globalization;

namespace Tabby.Bench.Bgp;

/// <summary>One device's run: times at the receiver (null when a phase did not finish), its CPU and memory, and what never arrived.</summary>
/// <param name="FirstMs">The device's first route: from the sender's first UPDATE on the wire to the device's first UPDATE to
/// the receiver (<see cref="WireCapture"/>); null if either was not seen.</param>
/// <param name="AnnounceMs">... until it held all of them; null if some never came.</param>
/// <param name="WithdrawMs">From the sender's withdrawal until the receiver held none; null if some were never withdrawn.</param>
/// <param name="Lost">Announcements that never arrived plus withdrawals that never did, before the deadlines.</param>
internal sealed record PropagationResult(double? FirstMs, double? AnnounceMs, double? WithdrawMs, double RssMb, int Lost, double AnnounceCpuMs)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"first {(FirstMs is { } f ? f.ToString("F2", CultureInfo.InvariantCulture) + " ms" : "not seen on the wire")}, announce {Ms(AnnounceMs)} (device CPU {AnnounceCpuMs:F0} ms), withdraw {Ms(WithdrawMs)}, peak RSS {RssMb:F0} MB, lost {Lost}");

    private static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F0} ms") : "timed out";
}
