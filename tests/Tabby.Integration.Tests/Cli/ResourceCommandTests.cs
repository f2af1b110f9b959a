using System.Globalization;
using System.Text;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;
using Tabby.Api.Serialization;
using Tabby.Cli.Resources;

namespace Tabby.Integration.Tests.Cli;

/// <summary>The resource commands end to end; each backend runs every scenario (see the SQLite and etcd subclasses).</summary>
public abstract class ResourceCommandTests
{
    private static readonly string[] s_realManifests =
        ["ippools.yaml", "bgp.yaml", "policies.yaml", "networksets.yaml", "hostendpoints.yaml", "felix.yaml", "misc.yaml", "list.yaml", "pools.json"];

    protected abstract TabbyRunner Tabby { get; }

    protected static string Manifest(string name) => Path.Combine(AppContext.BaseDirectory, "Cli", "Manifests", name);

    [Fact]
    public async Task Real_Calico_manifests_apply_and_read_back_identically_with_get_o_yaml()
    {
        foreach (var file in s_realManifests)
        {
            var expected = Read(File.ReadAllText(Manifest(file)), file);
            var applied = await Tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", Manifest(file));
            Assert.Equal(expected.Count, Lines(applied.Output).Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        }

        foreach (var file in s_realManifests)
        {
            foreach (var resource in Read(File.ReadAllText(Manifest(file)), file))
            {
                var get = GetArgs(ResourceKey.For(resource), "yaml");
                var exported = (await Tabby.ExpectAsync(ExitCodes.Ok, get)).Output;
                var back = Assert.Single(Read(exported, "exported.yaml"));
                Assert.False(string.IsNullOrEmpty(back.Metadata.ResourceVersion));
                Assert.False(string.IsNullOrEmpty(back.Metadata.Uid));
                Assert.False(string.IsNullOrEmpty(back.Metadata.CreationTimestamp));
                Assert.Equal(ResourceWriter.ToCanonicalJson(resource), ResourceWriter.ToCanonicalJson(WithoutServerFields(back)));

                // The export applies back as a no-op, so reading again gives the very same text.
                var again = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, exported, "apply", "-f", "-");
                Assert.EndsWith(" unchanged", again.Output.Trim(), StringComparison.Ordinal);
                Assert.Equal(exported, (await Tabby.ExpectAsync(ExitCodes.Ok, get)).Output);
            }
        }
    }

    [Fact]
    public async Task Get_o_json_of_every_kind_applies_back_unchanged_and_into_a_fresh_datastore_identically()
    {
        // The whole folder in one invocation: one transaction on either backend.
        var applied = await Tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", Manifest(""));
        Assert.Equal(s_realManifests.Sum(f => Read(File.ReadAllText(Manifest(f)), f).Count), Lines(applied.Output).Length);
        var fresh = Path.Combine(Path.GetTempPath(), $"tabby-cli-fresh-{Guid.NewGuid():N}.db");
        try
        {
            var other = new TabbyRunner("sqlite:" + fresh);
            foreach (var kind in KindRegistry.All)
            {
                var json = (await Tabby.ExpectAsync(ExitCodes.Ok, "get", kind.Plural, "-A", "-o", "json")).Output;
                var listed = Read(json, "exported.json");
                if (listed.Count == 0)
                    continue;
                var again = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, json, "apply", "-f", "-");
                Assert.All(Lines(again.Output), l => Assert.EndsWith(" unchanged", l, StringComparison.Ordinal));
                Assert.Equal(json, (await Tabby.ExpectAsync(ExitCodes.Ok, "get", kind.Plural, "-A", "-o", "json")).Output);

                // Another datastore gives the objects their own uid, timestamps and versions, and nothing else differs.
                await other.ExpectWithStdinAsync(ExitCodes.Ok, json, "apply", "-f", "-");
                var copied = Read((await other.ExpectAsync(ExitCodes.Ok, "get", kind.Plural, "-A", "-o", "json")).Output, "copied.json");
                Assert.Equal(listed.Select(r => ResourceWriter.ToCanonicalJson(WithoutServerFields(r))), copied.Select(r => ResourceWriter.ToCanonicalJson(WithoutServerFields(r))));
            }
        }
        finally
        {
            DeleteSqlite(fresh);
        }
    }

    [Fact]
    public async Task Create_twice_conflicts_and_a_batch_with_one_existing_resource_creates_nothing()
    {
        var pools = Manifest("ippools.yaml");
        await Tabby.ExpectAsync(ExitCodes.Ok, "create", "-f", pools);
        var before = (await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools", "-o", "yaml")).Output;

        var second = await Tabby.ExpectAsync(ExitCodes.Conflict, "create", "-f", pools);
        Assert.Contains($"{pools}: IPPool my.ippool-1: already exists (use 'tabby apply' or 'tabby replace' to change it)", Lines(second.Error));
        Assert.Contains("nothing was changed", second.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools", "-o", "yaml")).Output);

        var mixed = Pool("brand-new", "10.60.0.0/16") + "---\n" + Pool("my.ippool-1", "10.1.0.0/16");
        await Tabby.ExpectWithStdinAsync(ExitCodes.Conflict, mixed, "create", "-f", "-");
        await Tabby.ExpectAsync(ExitCodes.NotFound, "get", "ippool", "brand-new");

        var skipped = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, mixed, "create", "--skip-exists", "-f", "-");
        Assert.Equal(["IPPool brand-new created", "IPPool my.ippool-1 exists, skipped"], Lines(skipped.Output));
    }

    [Fact]
    public async Task Replace_honours_resourceVersion_and_refuses_a_stale_one()
    {
        var missing = await Tabby.ExpectWithStdinAsync(ExitCodes.NotFound, Pool("replace-me", "10.50.0.0/16"), "replace", "-f", "-");
        Assert.Contains("<stdin>: IPPool replace-me: not found (use 'tabby create' or 'tabby apply' to create it)", Lines(missing.Error));

        await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, Pool("replace-me", "10.50.0.0/16"), "create", "-f", "-");
        var v1 = (await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "replace-me", "-o", "yaml")).Output;
        var version1 = Assert.Single(Read(v1, "v1.yaml")).Metadata.ResourceVersion!;

        var replaced = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, v1.Replace("blockSize: 26", "blockSize: 27", StringComparison.Ordinal), "replace", "-f", "-");
        Assert.Equal(["IPPool replace-me replaced"], Lines(replaced.Output));
        var v2 = Assert.Single(Read((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "replace-me", "-o", "yaml")).Output, "v2.yaml"));
        Assert.Equal(27, ((IPPool)v2).Spec.BlockSize);
        Assert.NotEqual(version1, v2.Metadata.ResourceVersion);

        // The first export is now stale: replace and apply both refuse it and change nothing.
        var stale = await Tabby.ExpectWithStdinAsync(ExitCodes.Conflict, v1.Replace("blockSize: 26", "blockSize: 28", StringComparison.Ordinal), "replace", "-f", "-");
        Assert.Contains(
            $"<stdin>: IPPool replace-me: resourceVersion {version1} is stale: it was changed since (it is now at {v2.Metadata.ResourceVersion}); get it again and retry",
            Lines(stale.Error));
        await Tabby.ExpectWithStdinAsync(ExitCodes.Conflict, v1.Replace("blockSize: 26", "blockSize: 28", StringComparison.Ordinal), "apply", "-f", "-");
        var still = Assert.Single(Read((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "replace-me", "-o", "yaml")).Output, "v3.yaml"));
        Assert.Equal(27, ((IPPool)still).Spec.BlockSize);
        Assert.Equal(v2.Metadata.Uid, still.Metadata.Uid);
        Assert.Equal(v2.Metadata.CreationTimestamp, still.Metadata.CreationTimestamp);

        // delete -f honours the resourceVersion of what it is given too.
        var staleDelete = await Tabby.ExpectWithStdinAsync(ExitCodes.Conflict, v1, "delete", "-f", "-");
        Assert.Contains($"<stdin>: IPPool replace-me: resourceVersion {version1} is stale", staleDelete.Error, StringComparison.Ordinal);
        await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "replace-me");

        // Without a resourceVersion, replace takes the current one, as calicoctl does.
        await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, Pool("replace-me", "10.50.0.0/16", blockSize: 29), "replace", "-f", "-");
        var bad = await Tabby.ExpectWithStdinAsync(ExitCodes.BadInput, v1.Replace($"resourceVersion: \"{version1}\"", "resourceVersion: \"abc\"", StringComparison.Ordinal), "replace", "-f", "-");
        Assert.Contains("metadata.resourceVersion: 'abc' is not a revision", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_by_name_and_by_file_all_or_nothing()
    {
        var pools = Manifest("ippools.yaml");
        await Tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", pools);

        var partly = await Tabby.ExpectAsync(ExitCodes.NotFound, "delete", "ippool", "rack-1-pool", "no-such-pool");
        Assert.Contains("IPPool no-such-pool: not found", Lines(partly.Error));
        await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "rack-1-pool");

        var deleted = await Tabby.ExpectAsync(ExitCodes.Ok, "delete", "ippools", "rack-1-pool");
        Assert.Equal(["IPPool rack-1-pool deleted"], Lines(deleted.Output));
        await Tabby.ExpectAsync(ExitCodes.NotFound, "get", "ippool", "rack-1-pool");
        await Tabby.ExpectAsync(ExitCodes.Ok, "delete", "ippool", "rack-1-pool", "--skip-not-exists");

        // The file still names rack-1-pool, which is gone: nothing goes until the user says to skip it.
        await Tabby.ExpectAsync(ExitCodes.NotFound, "delete", "-f", pools);
        await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool", "my.ippool-1");
        var byFile = await Tabby.ExpectAsync(ExitCodes.Ok, "delete", "-f", pools, "--skip-not-exists");
        Assert.Contains("IPReservation my-ipreservation-1 deleted", Lines(byFile.Output));
        var empty = await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools");
        Assert.Equal("", empty.Output);
        Assert.Equal("no ippools", empty.Error.Trim());
    }

    [Fact]
    public async Task Get_accepts_every_name_of_a_kind_and_shows_its_columns()
    {
        await Tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", Manifest("ippools.yaml"));
        var table = (await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippool")).Output;
        foreach (var alias in new[] { "ippools", "IPPool", "IPPOOLS", "pool" })
            Assert.Equal(table, (await Tabby.ExpectAsync(ExitCodes.Ok, "get", alias)).Output);

        var lines = Lines(table);
        Assert.Equal(["NAME", "CIDR", "BLOCKSIZE", "IPIPMODE", "VXLANMODE"], Words(lines[0]));
        Assert.Equal(["my.ippool-1", "10.1.0.0/16", "26", "CrossSubnet", "Never"], Words(lines.Single(l => l.StartsWith("my.ippool-1", StringComparison.Ordinal))));
        Assert.Equal(5, lines.Length);

        var wide = Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools", "-o", "wide")).Output);
        Assert.Equal(["NAME", "CIDR", "BLOCKSIZE", "IPIPMODE", "VXLANMODE", "NAT", "DISABLED", "DISABLEBGPEXPORT", "SELECTOR", "ALLOWEDUSES", "ASSIGNMENTMODE", "LABELS"], Words(wide[0]));
        Assert.Contains(wide, l => l.Contains("rack == \"rack-1\"", StringComparison.Ordinal) && l.EndsWith("rack=rack-1", StringComparison.Ordinal));

        var named = await Tabby.ExpectAsync(ExitCodes.NotFound, "get", "ippool", "my.ippool-1", "nope");
        Assert.Equal(2, Lines(named.Output).Length);
        Assert.Equal("IPPool nope not found", named.Error.Trim());
    }

    [Fact]
    public async Task Namespaced_kinds_default_to_the_default_namespace_and_honour_n_and_A()
    {
        var policies = Policy("allow-dns", null) + "---\n" + Policy("allow-dns", "prod") + "---\n" + Policy("only-prod", "prod");
        var created = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, policies, "apply", "-f", "-");
        Assert.Equal(["NetworkPolicy default/allow-dns created", "NetworkPolicy prod/allow-dns created", "NetworkPolicy prod/only-prod created"], Lines(created.Output));

        var inDefault = Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "networkpolicy")).Output);
        Assert.Equal(["NAME", "NAMESPACE", "TIER", "ORDER", "SELECTOR"], Words(inDefault[0]));
        Assert.Equal(["allow-dns", "default", "default", "100", "all()"], Words(inDefault[1]));
        Assert.Equal(2, inDefault.Length);

        var inProd = Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "np", "-n", "prod")).Output);
        Assert.Equal(["allow-dns", "only-prod"], inProd.Skip(1).Select(l => Words(l)[0]));
        Assert.All(inProd.Skip(1), l => Assert.Equal("prod", Words(l)[1]));

        var everywhere = Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "policies", "-A")).Output);
        Assert.Equal(4, everywhere.Length);
        await Tabby.ExpectAsync(ExitCodes.NotFound, "get", "np", "only-prod");
        Assert.Single(Read((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "np", "only-prod", "-A", "-o", "yaml")).Output, "x.yaml"));

        await Tabby.ExpectAsync(ExitCodes.Ok, "delete", "networkpolicy", "allow-dns", "-n", "prod");
        Assert.Equal(3, Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "networkpolicies", "--all-namespaces")).Output).Length);
        await Tabby.ExpectAsync(ExitCodes.Ok, "get", "np", "allow-dns");
    }

    [Fact]
    public async Task A_bad_manifest_is_refused_with_file_and_line_and_nothing_is_stored()
    {
        var path = Manifest(Path.Combine("Bad", "pools.yaml"));
        var applied = await Tabby.ExpectAsync(ExitCodes.BadInput, "apply", "-f", path);
        Assert.Equal([$"{path}:14: spec.blockSize: 33 is out of range 20-32", "nothing was changed: 1 error(s)"], Lines(applied.Error));
        Assert.Equal("", applied.Output);
        await Tabby.ExpectAsync(ExitCodes.BadInput, "create", "-f", path);
        await Tabby.ExpectAsync(ExitCodes.NotFound, "get", "ippool", "good-pool");
        Assert.Equal("", (await Tabby.ExpectAsync(ExitCodes.Ok, "get", "ippools", "-o", "yaml")).Output);

        var validated = await Tabby.ExpectAsync(ExitCodes.BadInput, "validate", "-f", path);
        Assert.Equal([$"{path}:14: spec.blockSize: 33 is out of range 20-32", "1 error(s)"], Lines(validated.Error));
        var ok = await Tabby.ExpectAsync(ExitCodes.Ok, "validate", "-f", Manifest("ippools.yaml"), "-f", Manifest("bgp.yaml"));
        Assert.Matches(@"^valid: \d+ resource\(s\) in 2 file\(s\)$", ok.Output.Trim());
    }

    [Fact]
    public async Task A_directory_applies_its_manifests_in_name_order()
    {
        var dir = Directory.CreateTempSubdirectory("tabby-cli-dir-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "b.yaml"), Pool("from-b", "10.71.0.0/16"));
            await File.WriteAllTextAsync(Path.Combine(dir, "a.json"), """{"apiVersion":"projectcalico.org/v3","kind":"IPPool","metadata":{"name":"from-a"},"spec":{"cidr":"10.70.0.0/16"}}""");
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not a manifest");
            var applied = await Tabby.ExpectAsync(ExitCodes.Ok, "apply", "-f", dir);
            Assert.Equal(["IPPool from-a created", "IPPool from-b created"], Lines(applied.Output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task More_resources_than_one_etcd_transaction_holds_are_all_written()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 130; i++)
            text.Append(CultureInfo.InvariantCulture, $"apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata:\n  name: set-{i:D3}\nspec:\n  nets: [10.{i}.0.0/16]\n---\n");
        var applied = await Tabby.ExpectWithStdinAsync(ExitCodes.Ok, text.ToString(), "apply", "-f", "-");
        Assert.Equal(130, Lines(applied.Output).Length);
        Assert.Equal(131, Lines((await Tabby.ExpectAsync(ExitCodes.Ok, "get", "gns")).Output).Length);
    }

    [Fact]
    public async Task Bad_usage_exits_2_with_a_message()
    {
        Assert.Contains("unknown kind 'widgets'", (await Tabby.ExpectAsync(ExitCodes.BadInput, "get", "widgets")).Error, StringComparison.Ordinal);
        Assert.Contains("-o xml: expected table, wide, yaml or json", (await Tabby.ExpectAsync(ExitCodes.BadInput, "get", "ippools", "-o", "xml")).Error, StringComparison.Ordinal);
        Assert.Contains("--output needs a value", (await Tabby.ExpectAsync(ExitCodes.BadInput, "get", "ippools", "-o")).Error, StringComparison.Ordinal);
        Assert.Contains("unknown option '--bogus'", (await Tabby.ExpectAsync(ExitCodes.BadInput, "get", "ippools", "--bogus")).Error, StringComparison.Ordinal);
        Assert.Contains("-f is required", (await Tabby.ExpectAsync(ExitCodes.BadInput, "apply")).Error, StringComparison.Ordinal);
        Assert.Contains("/nonexistent.yaml: no such file or directory", (await Tabby.ExpectAsync(ExitCodes.BadInput, "apply", "-f", "/nonexistent.yaml")).Error, StringComparison.Ordinal);
        Assert.Contains("KIND NAME", (await Tabby.ExpectAsync(ExitCodes.BadInput, "delete", "ippool")).Error, StringComparison.Ordinal);
        var twice = Pool("twice", "10.80.0.0/16");
        Assert.Contains("<stdin>: IPPool twice: given more than once (also in <stdin>)", (await Tabby.ExpectWithStdinAsync(ExitCodes.BadInput, twice + "---\n" + twice, "apply", "-f", "-")).Error, StringComparison.Ordinal);
    }

    protected static string Pool(string name, string cidr, int blockSize = 26) =>
        $"apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: {name}\nspec:\n  cidr: {cidr}\n  blockSize: {blockSize}\n";

    private static string Policy(string name, string? ns) =>
        $"apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n{(ns is null ? "" : $"  namespace: {ns}\n")}spec:\n  order: 100\n  selector: all()\n  ingress:\n  - action: Allow\n    protocol: UDP\n    destination:\n      ports: [53]\n";

    private static IReadOnlyList<IResource> Read(string text, string source)
    {
        var result = new ResourceReader().Read(text, source);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors) + "\n" + text);
        return result.Resources;
    }

    /// <summary>The object as a manifest would state it: without what the datastore assigns.</summary>
    private static IResource WithoutServerFields(IResource resource)
    {
        resource.Metadata.ResourceVersion = null;
        resource.Metadata.Uid = null;
        resource.Metadata.CreationTimestamp = null;
        return resource;
    }

    private static string[] GetArgs(ResourceKey key, string format) => key.Kind.Namespaced
        ? ["get", key.Kind.Plural, key.Name, "-n", key.Namespace!, "-o", format]
        : ["get", key.Kind.Plural, key.Name, "-o", format];

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    protected static void DeleteSqlite(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(path + suffix);
    }
}
