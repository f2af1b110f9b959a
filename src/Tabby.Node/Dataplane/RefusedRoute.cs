using Tabby.Linux.Netlink.Routes;

namespace Tabby.Node.Dataplane;

/// <summary>A learned route the kernel did not take, with its error.</summary>
public sealed record RefusedRoute(Route Route, string Error);
