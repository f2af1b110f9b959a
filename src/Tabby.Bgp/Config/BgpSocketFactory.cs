using System.Net.Sockets;

namespace Tabby.Bgp.Config;

/// <summary>Creates the speaker's TCP sockets; a lab or agent passes one that creates them inside its network namespace.</summary>
public delegate Socket BgpSocketFactory(AddressFamily family);
