using System.Globalization;
using System.Net;
using Prometheus;
using Tabby.Bgp.Speaker;

namespace Tabby.Cli.Bgp;

/// <summary>The speaker's Prometheus metrics: the same per-peer and per-family numbers as `tabby bgp status`, read at each scrape.</summary>
/// <remarks>
/// A registry of its own, not prometheus-net's default one: that one starts .NET event-counter and meter
/// listeners in the background, which a daemon measured for its memory does not want.
/// </remarks>
internal sealed class BgpMetrics : IDisposable
{
    private readonly BgpSpeaker _speaker;
    private readonly TimeProvider _time;
    private readonly Gauge _state;
    private readonly Gauge _up;
    private readonly Gauge _uptime;
    private readonly Counter _messagesIn;
    private readonly Counter _messagesOut;
    private readonly Counter _transitions;
    private readonly Gauge _prefixesIn;
    private readonly Gauge _prefixesOut;
    private readonly Gauge _stale;
    private readonly Counter _skipped;
    private readonly Gauge _gracefulRestart;
    private readonly Gauge _locRib;
    private MetricServer? _server;

    public BgpMetrics(BgpSpeaker speaker, TimeProvider? time = null)
    {
        _speaker = speaker;
        _time = time ?? TimeProvider.System;
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        string[] peer = ["peer", "remote_as"];
        string[] family = ["peer", "family"];
        _state = f.CreateGauge("tabby_bgp_session_state", "Session state (RFC 4271 8): 0 Idle, 1 Connect, 2 Active, 3 OpenSent, 4 OpenConfirm, 5 Established", peer);
        _up = f.CreateGauge("tabby_bgp_session_up", "1 while the session is Established", peer);
        _uptime = f.CreateGauge("tabby_bgp_session_uptime_seconds", "Seconds since the session became Established; 0 when it is not", peer);
        _messagesIn = f.CreateCounter("tabby_bgp_messages_received_total", "BGP messages received from the peer", peer);
        _messagesOut = f.CreateCounter("tabby_bgp_messages_sent_total", "BGP messages sent to the peer", peer);
        _transitions = f.CreateCounter("tabby_bgp_session_established_total", "Times the session became Established", peer);
        _prefixesIn = f.CreateGauge("tabby_bgp_prefixes_received", "Routes from the peer in the Loc-RIB, stale ones included", family);
        _prefixesOut = f.CreateGauge("tabby_bgp_prefixes_advertised", "Prefixes advertised to the peer", family);
        _stale = f.CreateGauge("tabby_bgp_prefixes_stale", "Routes kept as stale while the peer restarts (RFC 4724)", family);
        _skipped = f.CreateCounter("tabby_bgp_prefixes_skipped_total", "Best paths not advertised for lack of a usable next hop on the session", family);
        _gracefulRestart = f.CreateGauge("tabby_bgp_graceful_restart_state", "Receiving-speaker state: 0 none, 1 routes retained while the peer is down, 2 waiting for End-of-RIB", family);
        _locRib = f.CreateGauge("tabby_bgp_loc_rib_prefixes", "Prefixes with a best path in the Loc-RIB");
        Registry.AddBeforeCollectCallback(Update);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Serves http://ENDPOINT/metrics until disposed.</summary>
    public void Serve(IPEndPoint endPoint)
    {
        var host = endPoint.Address.Equals(IPAddress.Any) ? "+" : endPoint.Address.ToString();
        _server = new MetricServer(host, endPoint.Port, "metrics/", Registry);
        _server.Start();
    }

    /// <summary>The text exposition format, for the control socket's "metrics" request.</summary>
    public async Task<string> ExportAsync(CancellationToken cancel)
    {
        using var stream = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(stream, cancel).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private void Update()
    {
        var now = _time.GetUtcNow();
        foreach (var p in _speaker.Peers())
        {
            var address = p.Address.ToString();
            var remoteAs = p.RemoteAs.ToString(CultureInfo.InvariantCulture);
            _state.WithLabels(address, remoteAs).Set((int)p.State);
            _up.WithLabels(address, remoteAs).Set(p.State == Tabby.Bgp.Session.BgpSessionState.Established ? 1 : 0);
            _uptime.WithLabels(address, remoteAs).Set(p.Uptime(now)?.TotalSeconds ?? 0);
            _messagesIn.WithLabels(address, remoteAs).IncTo(p.MessagesIn);
            _messagesOut.WithLabels(address, remoteAs).IncTo(p.MessagesOut);
            _transitions.WithLabels(address, remoteAs).IncTo(p.EstablishedTransitions);
            foreach (var f in p.Families)
            {
                var name = f.Family.IsIpv6 ? "ipv6" : "ipv4";
                _prefixesIn.WithLabels(address, name).Set(f.PrefixesIn);
                _prefixesOut.WithLabels(address, name).Set(f.PrefixesOut);
                _stale.WithLabels(address, name).Set(f.StalePrefixes);
                _skipped.WithLabels(address, name).IncTo(f.Skipped);
                _gracefulRestart.WithLabels(address, name).Set((int)f.GracefulRestart);
            }
        }
        _locRib.Set(_speaker.BestPathCount);
    }

    public void Dispose() => _server?.Dispose();
}
