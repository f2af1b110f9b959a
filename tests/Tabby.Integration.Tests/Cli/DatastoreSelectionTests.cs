using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Tabby.Cli.Resources;

namespace Tabby.Integration.Tests.Cli;

/// <summary>Where the commands find their datastore, and what they say when it is not there.</summary>
public sealed class DatastoreSelectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tabby-cli-ds-").FullName;

    [Fact]
    public void The_option_wins_then_the_variable_then_the_config_file_then_the_default()
    {
        var config = Path.Combine(_dir, "tabby.yaml");
        File.WriteAllText(config, "# written by the installer\nnode: {name: host-a}\ndatastore: etcd:http://10.0.0.1:2379\n");
        var withVariable = new ResourceCliEnvironment { GetVariable = n => n == "TABBY_DATASTORE" ? "sqlite:/tmp/from-env.db" : null, ConfigFile = config };
        var withFile = withVariable with { GetVariable = _ => null };
        var withNothing = withFile with { ConfigFile = Path.Combine(_dir, "missing.yaml") };

        Assert.Equal(new DatastoreSetting("sqlite:/tmp/opt.db", "--datastore"), DatastoreLocator.Resolve("sqlite:/tmp/opt.db", withVariable));
        Assert.Equal(new DatastoreSetting("sqlite:/tmp/from-env.db", "TABBY_DATASTORE"), DatastoreLocator.Resolve(null, withVariable));
        Assert.Equal(new DatastoreSetting("etcd:http://10.0.0.1:2379", config), DatastoreLocator.Resolve(null, withFile));
        Assert.Equal(new DatastoreSetting("sqlite:/var/lib/tabby/tabby.db", "the default"), DatastoreLocator.Resolve(null, withNothing));
        Assert.Equal("/etc/tabby/tabby.yaml", ResourceCliEnvironment.Process.ConfigFile);
    }

    [Fact]
    public void A_config_file_without_a_datastore_is_an_error_naming_the_file()
    {
        var config = Path.Combine(_dir, "tabby.yaml");
        File.WriteAllText(config, "datastre: sqlite:/x.db\n");
        var environment = new ResourceCliEnvironment { GetVariable = _ => null, ConfigFile = config };
        var error = Assert.Throws<CliUsageException>(() => DatastoreLocator.Resolve(null, environment));
        Assert.Equal($"{config}: no 'datastore:' setting (expected e.g. 'datastore: sqlite:/var/lib/tabby/tabby.db')", error.Message);
    }

    [Fact]
    public async Task Without_the_option_TABBY_DATASTORE_names_the_store()
    {
        var db = Path.Combine(_dir, "env.db");
        var environment = TabbyRunner.IsolatedEnvironment() with { GetVariable = n => n == "TABBY_DATASTORE" ? "sqlite:" + db : null };
        var (code, output, _) = await RunAsync(environment, "create", "-f", Path.Combine(AppContext.BaseDirectory, "Cli", "Manifests", "pools.json"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains(" created", output, StringComparison.Ordinal);
        Assert.True(File.Exists(db));
        var (again, _, error) = await RunAsync(environment, "create", "-f", Path.Combine(AppContext.BaseDirectory, "Cli", "Manifests", "pools.json"));
        Assert.Equal(ExitCodes.Conflict, again);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_etcd_exits_3_quickly_with_a_clear_message()
    {
        var url = $"http://127.0.0.1:{ClosedPort().ToString(CultureInfo.InvariantCulture)}";
        var tabby = new TabbyRunner("etcd:" + url);
        var clock = Stopwatch.StartNew();
        var get = await tabby.ExpectAsync(ExitCodes.Unavailable, "get", "ippools");
        var apply = await tabby.ExpectAsync(ExitCodes.Unavailable, "apply", "-f", Path.Combine(AppContext.BaseDirectory, "Cli", "Manifests", "pools.json"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal($"datastore etcd:{url} is unavailable: Connection refused (from --datastore)", get.Error.Trim());
        Assert.Equal(get.Error, apply.Error);
        Assert.Equal("", get.Output);
    }

    [Fact]
    public async Task A_sqlite_file_that_cannot_be_opened_exits_3_and_a_bad_datastore_string_exits_2()
    {
        // A write creates the file but not its directory.
        var missing = await new TabbyRunner("sqlite:/nonexistent/tabby-test/x.db").ExpectAsync(ExitCodes.Unavailable, "apply", "-f", Pools);
        Assert.StartsWith("datastore sqlite:/nonexistent/tabby-test/x.db is unavailable: ", missing.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists("/nonexistent/tabby-test"));
        var bad = await new TabbyRunner("mysql://db").ExpectAsync(ExitCodes.BadInput, "get", "ippools");
        Assert.Equal("datastore 'mysql://db' is not 'sqlite:PATH' or 'etcd:URL[,URL...]' (from --datastore)", bad.Error.Trim());
    }

    [Fact]
    public async Task Reading_commands_on_a_missing_sqlite_file_exit_3_and_create_nothing()
    {
        var db = Path.Combine(_dir, "absent.db");
        var tabby = new TabbyRunner("sqlite:" + db);
        string[][] readers =
        [
            ["get", "ippools"],
            ["get", "ippool", "pool-a", "-o", "yaml"],
            ["delete", "ippool", "pool-a"],
            ["delete", "ippool", "pool-a", "--skip-not-exists"],
            ["delete", "-f", Pools],
        ];
        foreach (var args in readers)
        {
            var result = await tabby.ExpectAsync(ExitCodes.Unavailable, args);
            Assert.Equal($"no datastore at {db} (from --datastore; tabby apply creates it)", result.Error.Trim());
            Assert.Equal("", result.Output);
        }

        var fromVariable = TabbyRunner.IsolatedEnvironment() with { GetVariable = n => n == "TABBY_DATASTORE" ? "sqlite:" + db : null };
        var (code, _, error) = await RunAsync(fromVariable, "get", "ippools");
        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.Equal($"no datastore at {db} (from TABBY_DATASTORE; tabby apply creates it)", error.Trim());
        await tabby.ExpectAsync(ExitCodes.Ok, "validate", "-f", Pools);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));

        // Writing commands still create it; then the readers work.
        await tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", Pools);
        Assert.True(File.Exists(db));
        await tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Pools => Path.Combine(AppContext.BaseDirectory, "Cli", "Manifests", "pools.json");

    private static async Task<(int Code, string Output, string Error)> RunAsync(ResourceCliEnvironment environment, params string[] args)
    {
        var root = new RootCommand("tabby (test)");
        ResourceCommands.AddTo(root, environment);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A port nothing listens on: bound once to learn a free number, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
