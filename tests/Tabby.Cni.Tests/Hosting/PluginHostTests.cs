using System.Text;
using System.Text.Json;
using Tabby.Cni.Hosting;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Hosting;

public sealed class PluginHostTests
{
    private sealed class RecordingPlugin(Func<PluginContext, Task>? action = null) : ICniPlugin
    {
        public List<CniCommand> Calls { get; } = [];

        private Task Run(PluginContext context, CniCommand command)
        {
            Calls.Add(command);
            return action?.Invoke(context) ?? Task.CompletedTask;
        }

        public Task AddAsync(PluginContext context, CancellationToken cancellationToken) => Run(context, CniCommand.Add);
        public Task DelAsync(PluginContext context, CancellationToken cancellationToken) => Run(context, CniCommand.Del);
        public Task CheckAsync(PluginContext context, CancellationToken cancellationToken) => Run(context, CniCommand.Check);
        public Task GcAsync(PluginContext context, CancellationToken cancellationToken) => Run(context, CniCommand.Gc);
        public Task StatusAsync(PluginContext context, CancellationToken cancellationToken) => Run(context, CniCommand.Status);
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
    }

    private static async Task<Run> InvokeAsync(ICniPlugin plugin, string command, string stdin, Dictionary<string, string>? more = null, params string[] arguments)
    {
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command, ["CNI_CONTAINERID"] = "c1", ["CNI_NETNS"] = "/run/netns/c1", ["CNI_IFNAME"] = "eth0", ["CNI_PATH"] = "/opt/cni/bin",
        };
        foreach (var (k, v) in more ?? [])
            env[k] = v;
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var io = new PluginIo(k => env.GetValueOrDefault(k), new MemoryStream(Encoding.UTF8.GetBytes(stdin)), stdout, stderr);
        var code = await PluginHost.RunAsync(PluginKind.Network, plugin, arguments, io);
        return new Run(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private const string Conf = """{"cniVersion":"1.0.0","name":"net1","type":"tabby","ipam":{"type":"tabby-ipam"}}""";

    [Fact]
    public async Task Version_lists_the_supported_versions_and_echoes_the_one_asked_about()
    {
        var run = await InvokeAsync(new RecordingPlugin(), "VERSION", """{"cniVersion":"0.4.0"}""");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("0.4.0", run.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], run.Json.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("1.1.0", (await InvokeAsync(new RecordingPlugin(), "VERSION", "")).Json.GetProperty("cniVersion").GetString());
    }

    [Fact]
    public async Task Each_command_reaches_its_plugin_method()
    {
        var plugin = new RecordingPlugin();
        var conf11 = Conf.Replace("1.0.0", "1.1.0", StringComparison.Ordinal);
        foreach (var command in new[] { "ADD", "DEL", "CHECK", "GC", "STATUS" })
            Assert.Equal(0, (await InvokeAsync(plugin, command, conf11)).ExitCode);
        Assert.Equal([CniCommand.Add, CniCommand.Del, CniCommand.Check, CniCommand.Gc, CniCommand.Status], plugin.Calls);
    }

    [Fact]
    public async Task An_error_is_the_cni_error_object_on_stdout_with_exit_code_1()
    {
        var run = await InvokeAsync(new RecordingPlugin(_ => throw new CniException(CniErrorCode.NoAddress, "no address could be assigned", "pool exhausted")), "ADD", Conf);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("1.0.0", run.Json.GetProperty("cniVersion").GetString());
        Assert.Equal(102, run.Json.GetProperty("code").GetInt32());
        Assert.Equal("no address could be assigned", run.Json.GetProperty("msg").GetString());
        Assert.Equal("pool exhausted", run.Json.GetProperty("details").GetString());
    }

    [Fact]
    public async Task An_unexpected_exception_is_code_100_with_its_type_and_message_and_never_a_stack_trace()
    {
        var run = await InvokeAsync(new RecordingPlugin(_ => throw new InvalidOperationException("boom")), "ADD", Conf);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(100, run.Json.GetProperty("code").GetInt32());
        Assert.Equal("internal error: InvalidOperationException: boom", run.Json.GetProperty("msg").GetString());
        Assert.DoesNotContain(" at ", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);

        var debug = await InvokeAsync(new RecordingPlugin(_ => throw new InvalidOperationException("boom")), "ADD", Conf, new() { ["TABBY_CNI_DEBUG"] = "1" });
        Assert.Contains("InvalidOperationException: boom", debug.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", debug.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1", "config version does not allow CHECK")]
    [InlineData("GC", "1.0.0", "config version does not allow GC")]
    [InlineData("STATUS", "0.4.0", "config version does not allow STATUS")]
    public async Task Commands_newer_than_the_configuration_are_incompatible(string command, string version, string message)
    {
        var plugin = new RecordingPlugin();
        var run = await InvokeAsync(plugin, command, Conf.Replace("1.0.0", version, StringComparison.Ordinal));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(1, run.Json.GetProperty("code").GetInt32());
        Assert.Equal(message, run.Json.GetProperty("msg").GetString());
        Assert.Equal(version, run.Json.GetProperty("cniVersion").GetString());
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("not json", 6, "1.1.0")]
    [InlineData("""{"cniVersion":"9.9.9","name":"n"}""", 1, "1.1.0")]
    [InlineData("""{"cniVersion":"1.0.0"}""", 7, "1.0.0")]
    public async Task A_bad_configuration_never_reaches_the_plugin(string stdin, int code, string errorVersion)
    {
        var plugin = new RecordingPlugin();
        var run = await InvokeAsync(plugin, "ADD", stdin);

        Assert.Equal(code, run.Json.GetProperty("code").GetInt32());
        Assert.Equal(errorVersion, run.Json.GetProperty("cniVersion").GetString()); // without a usable version on input, the newest
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public async Task A_missing_variable_is_code_4_before_stdin_is_read()
    {
        var run = await InvokeAsync(new RecordingPlugin(), "ADD", "not even json", new() { ["CNI_NETNS"] = "" });
        Assert.Equal(4, run.Json.GetProperty("code").GetInt32());
        Assert.Equal("required env variables [CNI_NETNS] missing", run.Json.GetProperty("msg").GetString());
    }

    [Fact]
    public async Task Dash_v_prints_what_the_plugin_is()
    {
        var run = await InvokeAsync(new RecordingPlugin(), "", "", null, "-v");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("CNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/opt/cni/bin/tabby-ipam", PluginKind.Ipam)]
    [InlineData("tabby-ipam", PluginKind.Ipam)]
    [InlineData("/opt/cni/bin/tabby", PluginKind.Network)]
    [InlineData("tabby-cni", PluginKind.Network)]
    public void The_program_name_picks_the_plugin(string program, PluginKind kind) => Assert.Equal(kind, PluginHost.KindFromProgramName(program));
}
