namespace Tabby.Lab.Probes;

/// <summary>The outcome of one ICMP echo: whether it came back, its TTL and round trip, and ping's own words.</summary>
public sealed record PingResult(bool Success, int? Ttl, double? RoundTripMs, string Output);
