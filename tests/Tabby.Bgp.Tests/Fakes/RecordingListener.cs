using System.Collections.Concurrent;
using Tabby.Bgp.Session;
using Tabby.Bgp.Wire;

namespace Tabby.Bgp.Tests.Fakes;

/// <summary>What a session told its owner, in order, for assertions.</summary>
internal sealed class RecordingListener : ISessionListener
{
    public ConcurrentQueue<string> Events { get; } = new();
    public ConcurrentQueue<SessionEnd> Ends { get; } = new();
    public ConcurrentQueue<BgpUpdate> Updates { get; } = new();
    public int Established => Events.Count(e => e == "up");

    public void SessionEstablished(BgpSession session, NegotiatedSession negotiated) => Events.Enqueue("up");

    public void UpdateReceived(BgpSession session, BgpUpdate update) => Updates.Enqueue(update);

    public void RouteRefreshReceived(BgpSession session, BgpFamily family) => Events.Enqueue($"refresh {family}");

    public void SessionDown(BgpSession session, SessionEnd end)
    {
        Ends.Enqueue(end);
        Events.Enqueue("down");
    }
}
