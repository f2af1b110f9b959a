using System.Text;
using Tabby.Cni.Config;
using Tabby.Cni.Protocol;

namespace Tabby.Cni.Tests.Config;

public sealed class NetConfReaderTests
{
    private static NetConf Read(string json)
    {
        using var document = NetConfReader.ParseDocument(Encoding.UTF8.GetBytes(json));
        return NetConfReader.Read(document.RootElement);
    }

    private static CniException Fails(string json) => Assert.Throws<CniException>(() => Read(json));

    private const string Minimal = """{"cniVersion":"1.0.0","name":"net1","type":"tabby","ipam":{"type":"tabby-ipam"}""";

    [Fact]
    public void A_minimal_configuration_takes_calicos_defaults()
    {
        var conf = Read(Minimal + "}");

        Assert.Equal(CniVersion.V1_0_0, conf.Version);
        Assert.Equal("net1", conf.Name);
        Assert.Equal("tabby-ipam", conf.Ipam!.Type);
        Assert.True(conf.Ipam.AssignIpv4);
        Assert.False(conf.Ipam.AssignIpv6);
        Assert.Empty(conf.Ipam.Ipv4Pools);
        Assert.Equal("sqlite:/var/lib/tabby/tabby.db", conf.Datastore);
        Assert.Equal(0, conf.Mtu);
        Assert.Equal("/var/lib/tabby/nodename", conf.NodenameFile);
        Assert.Null(conf.PrevResult);
        Assert.Null(conf.ValidAttachments);
    }

    [Fact]
    public void Calicos_fields_are_read_with_their_calico_types()
    {
        var conf = Read("""
            {"cniVersion":"0.3.1","name":"k8s-pod-network","type":"tabby","mtu":1440,"nodename":"node-a","nodename_file":"/tmp/n",
             "etcd_endpoints":"http://10.0.0.1:2379,http://10.0.0.2:2379","log_level":"info","policy":{"type":"k8s"},
             "kubernetes":{"kubeconfig":"/etc/cni/net.d/calico-kubeconfig"},"container_settings":{"allow_ip_forwarding":true},
             "ipam":{"type":"tabby-ipam","assign_ipv4":"false","assign_ipv6":"true","ipv6_pools":["fd00::/64","pool-b"]}}
            """);

        Assert.Equal(1440, conf.Mtu);
        Assert.Equal("node-a", conf.Nodename);
        Assert.Equal("etcd:http://10.0.0.1:2379,http://10.0.0.2:2379", conf.Datastore);
        Assert.Equal("k8s", conf.PolicyType);
        Assert.True(conf.AllowIpForwarding);
        Assert.False(conf.Ipam!.AssignIpv4);
        Assert.True(conf.Ipam.AssignIpv6);
        Assert.Equal(["fd00::/64", "pool-b"], conf.Ipam.Ipv6Pools);
    }

    [Fact]
    public void The_agents_mtu_file_is_read_from_mtu_file_else_the_default_place()
    {
        Assert.Equal("/run/lab/host0.mtu", Read(Minimal + ""","mtu_file":"/run/lab/host0.mtu"}""").MtuFile);
        Assert.Equal("/var/lib/tabby/mtu", Read(Minimal + "}").MtuFile);
    }

    [Fact]
    public void Tabbys_datastore_field_names_sqlite_or_etcd()
    {
        Assert.Equal("sqlite:/tmp/x.db", Read(Minimal + ""","datastore":"sqlite:/tmp/x.db"}""").Datastore);
        Assert.Equal("etcd:http://127.0.0.1:2379", Read(Minimal + ""","datastore":"etcd:http://127.0.0.1:2379"}""").Datastore);
        Assert.Equal("etcd:127.0.0.1:2379", Read(Minimal + ""","etcd_authority":"127.0.0.1:2379"}""").Datastore);
    }

    [Fact]
    public void Runtime_requests_labels_and_gc_attachments_are_read()
    {
        var conf = Read(Minimal + """
            ,"runtimeConfig":{"ips":["10.1.2.3/24"],"mac":"02:00:00:00:00:01"},
             "args":{"cni":{"ips":["10.9.9.9"],"labels":[{"key":"app","value":"web"},{"key":"tier","value":""}]}},
             "cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"net1"}]}
            """);

        Assert.Equal(["10.1.2.3/24"], conf.RequestedIps); // runtimeConfig wins over args
        Assert.Equal("02:00:00:00:00:01", conf.RequestedMac);
        Assert.Equal("web", conf.Labels["app"]);
        Assert.Equal("", conf.Labels["tier"]);
        Assert.Equal([new ValidAttachment("c1", "eth0"), new ValidAttachment("c2", "net1")], conf.ValidAttachments);
    }

    [Fact]
    public void Unknown_fields_are_ignored_as_calico_ignores_them()
    {
        var conf = Read(Minimal + ""","something_new":{"x":1},"log_file_path":"/var/log/calico/cni/cni.log"}""");
        Assert.Equal("net1", conf.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void Empty_stdin_is_a_decode_failure(string stdin)
    {
        var e = Assert.Throws<CniException>(() => NetConfReader.ParseDocument(Encoding.UTF8.GetBytes(stdin)));
        Assert.Equal(CniErrorCode.DecodeFailure, e.Code);
        Assert.Equal("no network configuration on stdin", e.Message);
    }

    [Fact]
    public void Broken_json_is_a_decode_failure_that_says_where()
    {
        var e = Assert.Throws<CniException>(() => NetConfReader.ParseDocument(Encoding.UTF8.GetBytes("{\"cniVersion\":\"1.0.0\",\n \"name\": net1}")));
        Assert.Equal(CniErrorCode.DecodeFailure, e.Code);
        Assert.Contains("line 2", e.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_value_that_is_not_an_object_is_a_decode_failure()
    {
        var e = Assert.Throws<CniException>(() => NetConfReader.ParseDocument(Encoding.UTF8.GetBytes("[1,2]")));
        Assert.Equal(CniErrorCode.DecodeFailure, e.Code);
        Assert.Equal("got a list", e.Details);
    }

    [Fact]
    public void A_missing_or_unsupported_version_is_incompatible_and_lists_what_is_supported()
    {
        var missing = Fails("""{"name":"n","type":"tabby"}""");
        Assert.Equal(CniErrorCode.IncompatibleVersion, missing.Code);
        Assert.Contains("0.1.0 is implied", missing.Details, StringComparison.Ordinal);

        var unsupported = Fails("""{"cniVersion":"0.2.0","name":"n","type":"tabby"}""");
        Assert.Equal(CniErrorCode.IncompatibleVersion, unsupported.Code);
        Assert.Equal("config is \"0.2.0\", plugin supports [\"0.3.0\", \"0.3.1\", \"0.4.0\", \"1.0.0\", \"1.1.0\"]", unsupported.Details);

        Assert.Equal(CniErrorCode.IncompatibleVersion, Fails("""{"cniVersion":"one","name":"n"}""").Code);
        Assert.Equal(CniErrorCode.DecodeFailure, Fails("""{"cniVersion":1,"name":"n"}""").Code);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","type":"tabby"}""", "missing network name")]
    [InlineData("""{"cniVersion":"1.0.0","name":"-bad","type":"tabby"}""", "invalid characters found in network name")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","mtu":"1500"}""", "mtu: expected an integer, got \"1500\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","mtu":40}""", "mtu: 40 is outside 68-65535")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{}}""", "ipam.type is missing")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"../x"}}""", "ipam.type: '../x' must be a plugin name, not a path")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"t","assign_ipv4":"yes"}}""", "ipam.assign_ipv4: expected \"true\" or \"false\", got \"yes\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipam":{"type":"t","ipv4_pools":"10.0.0.0/8"}}""", "ipam.ipv4_pools: expected a list of strings, got \"10.0.0.0/8\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","datastore":"mysql:x"}""", "datastore: datastore 'mysql:x' is not 'sqlite:PATH' or 'etcd:URL[,URL...]'")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","datastore":"sqlite:/a","etcd_endpoints":"http://b:2379"}""", "datastore and etcd_endpoints both name a datastore; keep one")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","datastore_type":"etcdv3"}""", "datastore_type \"etcdv3\" needs etcd_endpoints")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","args":{"cni":{"labels":[{"value":"x"}]}}}""", "args.cni.labels[0].key is missing")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","cni.dev/valid-attachments":[{"ifname":"eth0"}]}""", "cni.dev/valid-attachments[0].containerID is missing")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","device_type":"tap"}""", "device_type: \"tap\" is not \"veth\" or \"netkit\"")]
    public void Invalid_configurations_are_code_7_naming_the_field(string json, string message)
    {
        var e = Fails(json);
        Assert.Equal(CniErrorCode.InvalidConfig, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","datastore_type":"kubernetes"}""", "unsupported field datastore_type: \"kubernetes\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","etcd_endpoints":"https://e:2379","etcd_cert_file":"/c.pem"}""", "unsupported field etcd_cert_file: \"/c.pem\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","device_type":"netkit"}""", "unsupported field device_type: \"netkit\"")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","num_queues":4}""", "unsupported field num_queues: 4")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","feature_control":{"floating_ips":true}}""", "unsupported field feature_control.floating_ips: true")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","readiness_gates":["http://x/ready"]}""", "unsupported field readiness_gates: [http://x/ready]")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","ipMasq":true}""", "unsupported field ipMasq: true")]
    public void Calico_features_tabby_lacks_are_code_2_with_key_and_value(string json, string message)
    {
        var e = Fails(json);
        Assert.Equal(CniErrorCode.UnsupportedField, e.Code);
        Assert.Equal(message, e.Message);
    }
}
