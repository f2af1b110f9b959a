using System.CommandLine;
using System.Globalization;
using Tabby.Cli.Ipam;
using Tabby.Cli.Resources;

namespace Tabby.Integration.Tests.Cli;

/// <summary>Runs the resource and IPAM commands in-process against one datastore, never the machine's /etc/tabby or /var/lib/tabby.</summary>
public sealed class TabbyRunner(string datastore)
{
    public string Datastore { get; } = datastore;

    /// <summary>An environment with no TABBY_DATASTORE, no config file and an unusable default, so only --datastore can name a store.</summary>
    public static ResourceCliEnvironment IsolatedEnvironment(string stdin = "") => new()
    {
        GetVariable = _ => null,
        ConfigFile = "/nonexistent/tabby-test/tabby.yaml",
        DefaultDatastore = "sqlite:/nonexistent/tabby-test/tabby.db",
        Stdin = () => new StringReader(stdin),
    };

    public Task<CliResult> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    public async Task<CliResult> RunWithStdinAsync(string stdin, params string[] args)
    {
        var root = new RootCommand("tabby (test)");
        ResourceCommands.AddTo(root, IsolatedEnvironment(stdin));
        IpamCommands.AddTo(root, IsolatedEnvironment(stdin));
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await root.Parse([.. args, "--datastore", Datastore]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts the exit code, showing everything printed when it differs.</summary>
    public async Task<CliResult> ExpectAsync(int exitCode, params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == exitCode, $"tabby {string.Join(' ', args)}: expected exit {exitCode}\n{result}");
        return result;
    }

    public async Task<CliResult> ExpectWithStdinAsync(int exitCode, string stdin, params string[] args)
    {
        var result = await RunWithStdinAsync(stdin, args);
        Assert.True(result.ExitCode == exitCode, $"tabby {string.Join(' ', args)} < stdin: expected exit {exitCode}\n{result}");
        return result;
    }
}
