using Tabby.Cni.Hosting;
using Tabby.Cni.Ipam;
using Tabby.Cni.Plugin;

// One executable, two plugins: run as `tabby-ipam` it is the IPAM plugin, otherwise the interface plugin.
var kind = PluginHost.KindFromProgramName(Environment.GetCommandLineArgs()[0]);
ICniPlugin plugin = kind == PluginKind.Ipam ? new IpamPlugin() : new NetworkPlugin();
return await PluginHost.RunAsync(kind, plugin, args, PluginIo.Console());
