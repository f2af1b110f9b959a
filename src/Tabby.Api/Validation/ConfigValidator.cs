using System.Text.RegularExpressions;
using Tabby.Api.Resources;
using static Tabby.Api.Serialization.Binding.FieldPath;

namespace Tabby.Api.Validation;

/// <summary>Checks FelixConfiguration and ClusterInformation.</summary>
internal static partial class ConfigValidator
{
    private static readonly string[] s_logLevels = ["Trace", "Debug", "Info", "Warning", "Error", "Fatal"];
    private static readonly string[] s_enabledDisabled = ["Enabled", "Disabled"];

    public static void Validate(ValidationContext context, FelixConfiguration felix)
    {
        var spec = felix.Spec;
        Checks.Duration(context, "spec.dataplaneWatchdogTimeout", spec.DataplaneWatchdogTimeout);
        Checks.Duration(context, "spec.routeRefreshInterval", spec.RouteRefreshInterval);
        Checks.Duration(context, "spec.interfaceRefreshInterval", spec.InterfaceRefreshInterval);
        Checks.Duration(context, "spec.iptablesRefreshInterval", spec.IptablesRefreshInterval);
        Checks.Duration(context, "spec.iptablesPostWriteCheckInterval", spec.IptablesPostWriteCheckInterval);
        Checks.Duration(context, "spec.iptablesLockTimeout", spec.IptablesLockTimeout);
        Checks.Duration(context, "spec.iptablesLockProbeInterval", spec.IptablesLockProbeInterval);
        Checks.Duration(context, "spec.ipsetsRefreshInterval", spec.IpsetsRefreshInterval);
        Checks.Duration(context, "spec.xdpRefreshInterval", spec.XdpRefreshInterval);
        Checks.Duration(context, "spec.netlinkTimeout", spec.NetlinkTimeout);
        Checks.Duration(context, "spec.reportingInterval", spec.ReportingInterval);
        Checks.Duration(context, "spec.reportingTTL", spec.ReportingTTL);
        Checks.Duration(context, "spec.endpointReportingDelay", spec.EndpointReportingDelay);
        Checks.Duration(context, "spec.usageReportingInitialDelay", spec.UsageReportingInitialDelay);
        Checks.Duration(context, "spec.usageReportingInterval", spec.UsageReportingInterval);
        Checks.Duration(context, "spec.debugSimulateCalcGraphHangAfter", spec.DebugSimulateCalcGraphHangAfter);
        Checks.Duration(context, "spec.debugSimulateDataplaneHangAfter", spec.DebugSimulateDataplaneHangAfter);
        Checks.Duration(context, "spec.debugSimulateDataplaneApplyDelay", spec.DebugSimulateDataplaneApplyDelay);
        Checks.Duration(context, "spec.nftablesRefreshInterval", spec.NftablesRefreshInterval);
        Checks.Duration(context, "spec.bpfKubeProxyMinSyncPeriod", spec.BpfKubeProxyMinSyncPeriod);
        Checks.Duration(context, "spec.wireguardKeepAlive", spec.WireguardKeepAlive);
        Checks.Duration(context, "spec.flowLogsFlushInterval", spec.FlowLogsFlushInterval);
        Checks.Duration(context, "spec.bpfIPFragTimeout", spec.BpfIPFragTimeout);
        Checks.Duration(context, "spec.liveMigrationRouteConvergenceTime", spec.LiveMigrationRouteConvergenceTime);
        Checks.Duration(context, "spec.localSubnetL2ReachabilityRefreshInterval", spec.LocalSubnetL2ReachabilityRefreshInterval);

        // Felix's CRD validates most enums with case-insensitive patterns; the ones with Enum markers are exact.
        Checks.OneOfIgnoreCase(context, "spec.logSeverityFile", spec.LogSeverityFile, s_logLevels);
        Checks.OneOfIgnoreCase(context, "spec.logSeverityScreen", spec.LogSeverityScreen, s_logLevels);
        Checks.OneOfIgnoreCase(context, "spec.logSeveritySys", spec.LogSeveritySys, s_logLevels);
        Checks.OneOfIgnoreCase(context, "spec.iptablesBackend", spec.IptablesBackend, "Auto", "Legacy", "NFT");
        Checks.OneOfIgnoreCase(context, "spec.chainInsertMode", spec.ChainInsertMode, "insert", "append");
        Checks.OneOfIgnoreCase(context, "spec.defaultEndpointToHostAction", spec.DefaultEndpointToHostAction, "Drop", "Accept", "Return");
        Checks.OneOfIgnoreCase(context, "spec.iptablesFilterAllowAction", spec.IptablesFilterAllowAction, "Accept", "Return");
        Checks.OneOfIgnoreCase(context, "spec.iptablesMangleAllowAction", spec.IptablesMangleAllowAction, "Accept", "Return");
        Checks.OneOfIgnoreCase(context, "spec.iptablesFilterDenyAction", spec.IptablesFilterDenyAction, "Drop", "Reject");
        Checks.OneOfIgnoreCase(context, "spec.nftablesFilterAllowAction", spec.NftablesFilterAllowAction, "Accept", "Return");
        Checks.OneOfIgnoreCase(context, "spec.nftablesMangleAllowAction", spec.NftablesMangleAllowAction, "Accept", "Return");
        Checks.OneOfIgnoreCase(context, "spec.nftablesFilterDenyAction", spec.NftablesFilterDenyAction, "Drop", "Reject");
        Checks.OneOf(context, "spec.nftablesMode", spec.NftablesMode, "Enabled", "Disabled", "Auto");
        Checks.OneOfIgnoreCase(context, "spec.bpfLogLevel", spec.BpfLogLevel, "Off", "Info", "Debug");
        Checks.OneOf(context, "spec.bpfConntrackLogLevel", spec.BpfConntrackLogLevel, "Off", "Debug");
        Checks.OneOf(context, "spec.bpfConnectTimeLoadBalancing", spec.BpfConnectTimeLoadBalancing, "TCP", "Enabled", "Disabled");
        Checks.OneOf(context, "spec.bpfHostNetworkedNATWithoutCTLB", spec.BpfHostNetworkedNATWithoutCTLB, s_enabledDisabled);
        Checks.OneOfIgnoreCase(context, "spec.bpfExternalServiceMode", spec.BpfExternalServiceMode, "Tunnel", "DSR");
        Checks.OneOfIgnoreCase(context, "spec.bpfEnforceRPF", spec.BpfEnforceRPF, "Disabled", "Strict", "Loose");
        Checks.OneOf(context, "spec.bpfRedirectToPeer", spec.BpfRedirectToPeer, "Disabled", "Enabled", "L2Only");
        Checks.OneOf(context, "spec.bpfAttachType", spec.BpfAttachType, "TC", "TCX");
        Checks.OneOf(context, "spec.bpfProfiling", spec.BpfProfiling, s_enabledDisabled);
        Checks.OneOf(context, "spec.bpfJITHardening", spec.BpfJITHardening, "Auto", "Strict");
        Checks.OneOf(context, "spec.bpfConntrackMode", spec.BpfConntrackMode, "Auto", "Userspace", "BPFProgram");
        Checks.OneOf(context, "spec.bpfMapSizeConntrackScaling", spec.BpfMapSizeConntrackScaling, "Disabled", "DoubleIfFull");
        Checks.OneOfIgnoreCase(context, "spec.routeSource", spec.RouteSource, "WorkloadIPs", "CalicoIPAM");
        Checks.OneOf(context, "spec.awsSrcDstCheck", spec.AwsSrcDstCheck, "DoNothing", "Enable", "Disable");
        Checks.OneOfIgnoreCase(context, "spec.serviceLoopPrevention", spec.ServiceLoopPrevention, "Drop", "Reject", "Disabled");
        Checks.OneOfIgnoreCase(context, "spec.workloadSourceSpoofing", spec.WorkloadSourceSpoofing, "Disabled", "Any");
        Checks.OneOf(context, "spec.floatingIPs", spec.FloatingIPs, s_enabledDisabled);
        Checks.OneOf(context, "spec.windowsManageFirewallRules", spec.WindowsManageFirewallRules, s_enabledDisabled);
        Checks.OneOf(context, "spec.ipForwarding", spec.IpForwarding, s_enabledDisabled);
        Checks.OneOf(context, "spec.programClusterRoutes", spec.ProgramClusterRoutes, s_enabledDisabled);
        Checks.OneOf(context, "spec.flowLogsPolicyEvaluationMode", spec.FlowLogsPolicyEvaluationMode, "None", "Continuous");
        Checks.OneOf(context, "spec.flowLogsLocalReporter", spec.FlowLogsLocalReporter, s_enabledDisabled);
        Checks.OneOf(context, "spec.natOutgoingExclusions", spec.NatOutgoingExclusions, "IPPoolsOnly", "IPPoolsAndHostIPs");
        Checks.Enum(context, "spec.nftablesFlowTableOffload", spec.NftablesFlowTableOffload, "All", "Disabled");
        Checks.Enum(context, "spec.bpfOverlayHostSourceIP", spec.BpfOverlayHostSourceIP, "TunnelAddress", "HostAddress");
        Checks.Enum(context, "spec.istioAmbientMode", spec.IstioAmbientMode, s_enabledDisabled);
        Checks.Enum(context, "spec.localSubnetL2Reachability", spec.LocalSubnetL2Reachability, "Disabled", "PodsAndLoadBalancers");
        Checks.Enum(context, "spec.prometheusMetricsClientAuth", spec.PrometheusMetricsClientAuth,
            "RequireAndVerifyClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven", "NoClientCert");
        Checks.Range(context, "spec.logActionRateLimitBurst", spec.LogActionRateLimitBurst, 0, 9999);
        Checks.Range(context, "spec.bpfMaglevMaxEndpointsPerService", spec.BpfMaglevMaxEndpointsPerService, 1, 3000);
        Checks.Range(context, "spec.bpfMaglevMaxServices", spec.BpfMaglevMaxServices, 1, 3000);
        // The CRD's limits: a selector of at most 1024 characters (Calico parses it only in Felix), a
        // rate such as 10/second.
        if (spec.NodeSelector is { Length: > 1024 })
            context.Error("spec.nodeSelector", "may not be longer than 1024 characters");
        if (spec.LogActionRateLimit is { } rateLimit && !RateLimitPattern().IsMatch(rateLimit))
            context.Error("spec.logActionRateLimit", $"'{rateLimit}' is not a rate such as 10/second (1-9999 per second, minute, hour or day)");
        Checks.Range(context, "spec.bpfMapSizeConntrackCleanupQueue", spec.BpfMapSizeConntrackCleanupQueue, 1, int.MaxValue);

        foreach (var (field, value) in new (string, int?)[]
        {
            ("metadataPort", spec.MetadataPort), ("healthPort", spec.HealthPort), ("prometheusMetricsPort", spec.PrometheusMetricsPort),
            ("vxlanPort", spec.VxlanPort), ("wireguardListeningPort", spec.WireguardListeningPort),
            ("wireguardListeningPortV6", spec.WireguardListeningPortV6), ("bpfKubeProxyHealthzPort", spec.BpfKubeProxyHealthzPort),
        })
        {
            Checks.Range(context, "spec." + field, value, 1, 65535);
        }
        Checks.Range(context, "spec.debugPort", spec.DebugPort, 0, 65535);
        Checks.Range(context, "spec.ipv4NormalRoutePriority", spec.Ipv4NormalRoutePriority, 1, 2_147_483_646);
        Checks.Range(context, "spec.ipv4ElevatedRoutePriority", spec.Ipv4ElevatedRoutePriority, 1, 2_147_483_646);
        Checks.Range(context, "spec.ipv6NormalRoutePriority", spec.Ipv6NormalRoutePriority, 1, 2_147_483_646);
        Checks.Range(context, "spec.ipv6ElevatedRoutePriority", spec.Ipv6ElevatedRoutePriority, 1, 2_147_483_646);
        Checks.Range(context, "spec.wireguardRoutingRulePriority", spec.WireguardRoutingRulePriority, 1, 32765);
        Checks.Range(context, "spec.bpfExtToServiceConnmark", spec.BpfExtToServiceConnmark, 0, uint.MaxValue);
        Checks.Range(context, "spec.goGCThreshold", spec.GoGCThreshold, -1, int.MaxValue);
        Checks.Range(context, "spec.goMemoryLimitMB", spec.GoMemoryLimitMB, -1, int.MaxValue);
        Checks.Range(context, "spec.goMaxProcs", spec.GoMaxProcs, -1, int.MaxValue);
        Checks.Range(context, "spec.vxlanVNI", spec.VxlanVNI, 1, 16_777_215);
        Checks.InterfaceName(context, "spec.wireguardInterfaceName", spec.WireguardInterfaceName);
        Checks.InterfaceName(context, "spec.wireguardInterfaceNameV6", spec.WireguardInterfaceNameV6);

        KeyValueList(context, "spec.featureDetectOverride", spec.FeatureDetectOverride);
        KeyValueList(context, "spec.featureGates", spec.FeatureGates);
        if (spec.OpenstackRegion is { Length: > 0 } region)
        {
            // The region becomes part of a namespace name, "openstack-region-<region>".
            if (region.Length > 63 - "openstack-region-".Length)
                context.Error("spec.openstackRegion", "is too long");
            else
                Checks.Label(context, "spec.openstackRegion", region);
        }
        if (spec.PrometheusMetricsHost is { Length: > 0 } promHost && !PrometheusHostPattern().IsMatch(promHost))
            context.Error("spec.prometheusMetricsHost", $"'{promHost}' is not a host name or address");
        if (spec.IptablesNATOutgoingInterfaceFilter is { Length: > 0 } natFilter && !InterfaceFilterPattern().IsMatch(natFilter))
            context.Error("spec.iptablesNATOutgoingInterfaceFilter", $"'{natFilter}' is not an interface name or pattern");
        if (spec.BpfForceTrackPacketsFromIfaces is { } tracked)
        {
            for (var i = 0; i < tracked.Count; i++)
            {
                if (tracked[i] is { } iface && !InterfaceFilterPattern().IsMatch(iface))
                    context.Error(Item("spec.bpfForceTrackPacketsFromIfaces", i), $"'{iface}' is not an interface name or pattern");
            }
        }
        if (spec.BpfLogFilters is { } logFilters)
        {
            foreach (var key in logFilters.Keys)
                Checks.InterfaceName(context, "spec.bpfLogFilters." + key, key);
        }
        foreach (var (field, pattern) in new[]
        {
            ("logDebugFilenameRegex", spec.LogDebugFilenameRegex), ("bpfDataIfacePattern", spec.BpfDataIfacePattern),
            ("bpfL3IfacePattern", spec.BpfL3IfacePattern), ("bpfDisableGROForIfaces", spec.BpfDisableGROForIfaces),
            ("mtuIfacePattern", spec.MtuIfacePattern), ("nftablesFlowTableDataIfacePattern", spec.NftablesFlowTableDataIfacePattern),
        })
        {
            if (pattern is null)
                continue;
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                context.Error("spec." + field, $"'{pattern}' is not a regular expression");
            }
        }

        if (spec.ExternalNodesList is { } externalNodes)
        {
            for (var i = 0; i < externalNodes.Count; i++)
            {
                var value = externalNodes[i];
                if (value is null)
                    continue;
                // Any IPv4 address or CIDR, host bits allowed, as Calico's check is.
                Checks.IpWithPrefix(context, Item("spec.externalNodesList", i), value, System.Net.Sockets.AddressFamily.InterNetwork);
            }
        }
        Checks.Nets(context, "spec.bpfDSROptoutCIDRs", spec.BpfDSROptoutCIDRs);
        Checks.Nets(context, "spec.bpfExcludeCIDRsFromNAT", spec.BpfExcludeCIDRsFromNAT);
        // Calico's CEL rules, with its messages.
        if (spec.NatOutgoingAddress is { Length: > 0 } natAddress && !IsAddress(natAddress, System.Net.Sockets.AddressFamily.InterNetwork))
            context.Error("spec.natOutgoingAddress", "natOutgoingAddress must be a valid IPv4 address");
        if (spec.DeviceRouteSourceAddress is { Length: > 0 } source4 && !IsAddress(source4, System.Net.Sockets.AddressFamily.InterNetwork))
            context.Error("spec.deviceRouteSourceAddress", "deviceRouteSourceAddress must be a valid IPv4 address");
        if (spec.DeviceRouteSourceAddressIPv6 is { Length: > 0 } source6 && !IsAddress(source6, System.Net.Sockets.AddressFamily.InterNetworkV6))
            context.Error("spec.deviceRouteSourceAddressIPv6", "deviceRouteSourceAddressIPv6 must be a valid IPv6 address");

        ValidateProtoPorts(context, "spec.failsafeInboundHostPorts", spec.FailsafeInboundHostPorts);
        ValidateProtoPorts(context, "spec.failsafeOutboundHostPorts", spec.FailsafeOutboundHostPorts);
        if (spec.KubeNodePortRanges is { } nodePorts)
        {
            // iptables' multiport match takes 15 ports, two per range.
            if (nodePorts.Count > 7)
                context.Error("spec.kubeNodePortRanges", "node port ranges list is too long (max 7)");
            for (var i = 0; i < nodePorts.Count; i++)
            {
                if (nodePorts[i]?.Name is not null)
                    context.Error(Item("spec.kubeNodePortRanges", i), "a node port range cannot be a named port");
            }
        }
        if (spec.NatPortRange?.Name is not null)
            context.Error("spec.natPortRange", "must be a port or range, not a name");
        if (spec.BpfPSNATPorts?.Name is not null)
            context.Error("spec.bpfPSNATPorts", "must be a port or range, not a name");

        if (spec.RouteTableRange is not null && spec.RouteTableRanges is not null)
            context.Error("spec.routeTableRange", "routeTableRange and routeTableRanges cannot both be set");
        if (spec.RouteTableRange is { } range && !(range.Min >= 1 && range.Max >= range.Min && range.Max <= 250))
            context.Error("spec.routeTableRange", "must be a range of route table indices within 1..250");
        if (spec.RouteTableRanges is { } ranges)
        {
            for (var i = 0; i < ranges.Count; i++)
                ValidateRouteTableRange(context, Item("spec.routeTableRanges", i), ranges[i], uint.MaxValue);
            if (ranges.Sum(r => (long)r.Max - r.Min + 1) > 0xffff)
                context.Error("spec.routeTableRanges", "targets too many tables");
        }
        if (spec.HealthTimeoutOverrides is { } healthOverrides)
        {
            for (var i = 0; i < healthOverrides.Count; i++)
            {
                var itemPath = Item("spec.healthTimeoutOverrides", i);
                if (healthOverrides[i].Name is not { } overrideName || !HealthTimeoutNamePattern().IsMatch(overrideName))
                    context.Error(Child(itemPath, "name"), "name should match regex ^[a-zA-Z0-9_ -]+$");
                Checks.Required(context, Child(itemPath, "timeout"), healthOverrides[i].Timeout);
                Checks.Duration(context, Child(itemPath, "timeout"), healthOverrides[i].Timeout);
                if (healthOverrides[i].Timeout is { } timeout && timeout.StartsWith('-') && timeout.Any(c => c is >= '1' and <= '9'))
                    context.Error(Child(itemPath, "timeout"), "Timeout should not be negative");
            }
        }
        if (spec.BpfConntrackTimeouts is { } timeouts)
        {
            foreach (var field in Serialization.Binding.TypeShapeAccess.Fields(timeouts))
            {
                if (field.Value is string text && !text.Equals("Auto", StringComparison.OrdinalIgnoreCase))
                    Checks.Duration(context, "spec.bpfConntrackTimeouts." + field.Name, text);
            }
        }
    }

    public static void Validate(ValidationContext context, ClusterInformation info)
    {
        if (info.Metadata.Name is { } name && name != "default")
            context.Error("metadata.name", "the ClusterInformation must be named 'default'");
    }

    private static void ValidateProtoPorts(ValidationContext context, string path, List<ProtoPort>? ports)
    {
        if (ports is null)
            return;
        for (var i = 0; i < ports.Count; i++)
        {
            var itemPath = Item(path, i);
            if (!string.IsNullOrEmpty(ports[i].Protocol))
                Checks.OneOfIgnoreCase(context, Child(itemPath, "protocol"), ports[i].Protocol, "TCP", "UDP", "SCTP");
            Checks.Range(context, Child(itemPath, "port"), ports[i].Port, 0, 65535);
            if (!string.IsNullOrEmpty(ports[i].Net))
                Checks.Net(context, Child(itemPath, "net"), ports[i].Net);
        }
    }

    private static void ValidateRouteTableRange(ValidationContext context, string path, RouteTableRange range, long max)
    {
        // Calico's CEL messages for the first two.
        if (range.Min < 1)
            context.Error(Child(path, "min"), "min must be >= 1");
        Checks.Range(context, Child(path, "max"), range.Max, 1, max);
        if (range.Min > range.Max)
            context.Error(path, $"min must not be greater than max ({range.Min} > {range.Max})");
    }

    /// <summary>Calico's keyValueList: comma-separated <c>key=value</c> items (empty items allowed).</summary>
    private static void KeyValueList(ValidationContext context, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return;
        foreach (var item in value.Split(','))
        {
            if (item.Length > 0 && !KeyValuePattern().IsMatch(item))
            {
                context.Error(path, $"'{value}' is not a comma-separated list of key=value");
                return;
            }
        }
    }

    private static bool IsAddress(string text, System.Net.Sockets.AddressFamily family) =>
        Checks.TryParseIp(text, out var address) && address.AddressFamily == family;

    [GeneratedRegex(@"^[a-zA-Z0-9_ -]+$")]
    private static partial Regex HealthTimeoutNamePattern();

    [GeneratedRegex(@"^[1-9][0-9]{0,3}/(second|minute|hour|day)$")]
    private static partial Regex RateLimitPattern();

    [GeneratedRegex(@"^\s*(\w+)=(.*)$")]
    private static partial Regex KeyValuePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9:._+-]{1,64}$")]
    private static partial Regex PrometheusHostPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9:._+-]{1,15}$")]
    private static partial Regex InterfaceFilterPattern();
}
