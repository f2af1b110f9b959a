using Tabby.Bgp.Config;

namespace Tabby.Bgp.Session;

/// <summary>Opens an outgoing connection to <paramref name="peer"/>; throws (SocketException, OperationCanceledException, IOException) when it cannot.</summary>
internal delegate Task<IBgpTransport> BgpDialer(BgpPeerConfig peer, CancellationToken cancel);
