using System.Globalization;

namespace Tabby.Integration.Tests.Ipam;

/// <summary>What one host reported on stdout: the addresses it believes it holds (by handle), how many it allocated and borrowed.</summary>
public sealed class HostLog
{
    public Dictionary<string, string> Held { get; } = new(StringComparer.Ordinal);

    /// <summary>Every address it reported allocating, in order (an address may come back after a release).</summary>
    public List<string> Allocated { get; } = [];

    public int Borrowed { get; private set; }

    public int Released { get; private set; }

    /// <summary>The handle and address of a <c>hold</c> line: allocated, endpoint not yet written.</summary>
    public (string Handle, string Ip)? Holding { get; private set; }

    public bool Done { get; private set; }

    public static HostLog Parse(IEnumerable<string> lines)
    {
        var log = new HostLog();
        foreach (var line in lines)
        {
            var f = line.Split(' ');
            switch (f[0])
            {
                case "alloc":
                    Assert.True(log.Held.TryAdd(f[1], f[2]), $"handle {f[1]} reported allocated twice");
                    log.Allocated.Add(f[2]);
                    log.Borrowed += f[4] == "1" ? 1 : 0;
                    _ = ulong.Parse(f[3], CultureInfo.InvariantCulture);
                    break;
                case "release":
                    Assert.True(log.Held.Remove(f[1]), $"release of {f[1]}, which was not held");
                    log.Released++;
                    break;
                case "hold":
                    log.Holding = (f[1], f[2]);
                    break;
                case "done":
                    Assert.Equal(log.Held.Count, int.Parse(f[1], CultureInfo.InvariantCulture));
                    log.Done = true;
                    break;
                default:
                    Assert.Fail($"unexpected line '{line}'");
                    break;
            }
        }

        return log;
    }
}
