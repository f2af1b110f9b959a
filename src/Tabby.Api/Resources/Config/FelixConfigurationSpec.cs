using Tabby.Api.Serialization.Binding;

namespace Tabby.Api.Resources;

/// <summary>The spec of a FelixConfiguration (<c>default</c>, or <c>node.NAME</c> per node): every field Calico's CRD has.</summary>
/// <remarks>Durations are kept as Go duration strings (<c>90s</c>, <c>1m30s</c>) and checked by the validator.</remarks>
public sealed class FelixConfigurationSpec
{
    /// <summary>Which nodes a FelixConfiguration not named <c>default</c> or <c>node.NAME</c> applies to.</summary>
    public string? NodeSelector { get; set; }

    public bool? UseInternalDataplaneDriver { get; set; }

    public string? DataplaneDriver { get; set; }

    public string? DataplaneWatchdogTimeout { get; set; }

    public bool? Ipv6Support { get; set; }

    public string? RouteRefreshInterval { get; set; }

    public string? InterfaceRefreshInterval { get; set; }

    public string? IptablesRefreshInterval { get; set; }

    public string? IptablesPostWriteCheckInterval { get; set; }

    public string? IptablesLockFilePath { get; set; }

    public string? IptablesLockTimeout { get; set; }

    public string? IptablesLockProbeInterval { get; set; }

    public string? FeatureDetectOverride { get; set; }

    public string? FeatureGates { get; set; }

    public string? IpsetsRefreshInterval { get; set; }

    public int? MaxIpsetSize { get; set; }

    public string? IptablesBackend { get; set; }

    public string? XdpRefreshInterval { get; set; }

    public string? NetlinkTimeout { get; set; }

    public string? MetadataAddr { get; set; }

    public int? MetadataPort { get; set; }

    public string? OpenstackRegion { get; set; }

    public string? InterfacePrefix { get; set; }

    public string? InterfaceExclude { get; set; }

    public string? ChainInsertMode { get; set; }

    public string? DefaultEndpointToHostAction { get; set; }

    public string? IptablesFilterAllowAction { get; set; }

    public string? IptablesMangleAllowAction { get; set; }

    public string? IptablesFilterDenyAction { get; set; }

    public string? LogPrefix { get; set; }

    public string? LogActionRateLimit { get; set; }

    public int? LogActionRateLimitBurst { get; set; }

    public string? LogFilePath { get; set; }

    public string? LogSeverityFile { get; set; }

    public string? LogSeverityScreen { get; set; }

    public string? LogSeveritySys { get; set; }

    public string? LogDebugFilenameRegex { get; set; }

    public bool? IpipEnabled { get; set; }

    public int? IpipMTU { get; set; }

    public bool? VxlanEnabled { get; set; }

    public int? VxlanMTU { get; set; }

    public int? VxlanMTUV6 { get; set; }

    public int? VxlanPort { get; set; }

    public int? VxlanVNI { get; set; }

    public bool? AllowVXLANPacketsFromWorkloads { get; set; }

    public bool? AllowIPIPPacketsFromWorkloads { get; set; }

    public string? ReportingInterval { get; set; }

    public string? ReportingTTL { get; set; }

    public bool? EndpointReportingEnabled { get; set; }

    public string? EndpointReportingDelay { get; set; }

    public string? EndpointStatusPathPrefix { get; set; }

    public uint? IptablesMarkMask { get; set; }

    public bool? DisableConntrackInvalidCheck { get; set; }

    public bool? HealthEnabled { get; set; }

    public string? HealthHost { get; set; }

    public int? HealthPort { get; set; }

    [KeepEmpty]
    public List<HealthTimeoutOverride>? HealthTimeoutOverrides { get; set; }

    public bool? PrometheusMetricsEnabled { get; set; }

    public string? PrometheusMetricsHost { get; set; }

    public int? PrometheusMetricsPort { get; set; }

    public bool? PrometheusGoMetricsEnabled { get; set; }

    public bool? PrometheusProcessMetricsEnabled { get; set; }

    public bool? PrometheusWireGuardMetricsEnabled { get; set; }

    public string? PrometheusMetricsCAFile { get; set; }

    public string? PrometheusMetricsCertFile { get; set; }

    public string? PrometheusMetricsKeyFile { get; set; }

    public string? PrometheusMetricsClientAuth { get; set; }

    [KeepEmpty]
    public List<ProtoPort>? FailsafeInboundHostPorts { get; set; }

    [KeepEmpty]
    public List<ProtoPort>? FailsafeOutboundHostPorts { get; set; }

    [KeepEmpty]
    public List<Port>? KubeNodePortRanges { get; set; }

    public string? PolicySyncPathPrefix { get; set; }

    public bool? UsageReportingEnabled { get; set; }

    public string? UsageReportingInitialDelay { get; set; }

    public string? UsageReportingInterval { get; set; }

    public Port? NatPortRange { get; set; }

    public string? NatOutgoingAddress { get; set; }

    public string? NatOutgoingExclusions { get; set; }

    public string? DeviceRouteSourceAddress { get; set; }

    public string? DeviceRouteSourceAddressIPv6 { get; set; }

    public int? DeviceRouteProtocol { get; set; }

    public bool? RemoveExternalRoutes { get; set; }

    public string? IpForwarding { get; set; }

    [KeepEmpty]
    public List<string>? ExternalNodesList { get; set; }

    public string? DebugMemoryProfilePath { get; set; }

    public bool? DebugDisableLogDropping { get; set; }

    public string? DebugSimulateCalcGraphHangAfter { get; set; }

    public string? DebugSimulateDataplaneHangAfter { get; set; }

    public string? DebugSimulateDataplaneApplyDelay { get; set; }

    public string? DebugHost { get; set; }

    public int? DebugPort { get; set; }

    public string? IptablesNATOutgoingInterfaceFilter { get; set; }

    public bool? SidecarAccelerationEnabled { get; set; }

    public bool? XdpEnabled { get; set; }

    public bool? GenericXDPEnabled { get; set; }

    public string? NftablesMode { get; set; }

    public string? NftablesFlowTableOffload { get; set; }

    public string? NftablesFlowTableDataIfacePattern { get; set; }

    public string? NftablesRefreshInterval { get; set; }

    public string? NftablesFilterAllowAction { get; set; }

    public string? NftablesMangleAllowAction { get; set; }

    public string? NftablesFilterDenyAction { get; set; }

    public uint? NftablesMarkMask { get; set; }

    public bool? BpfEnabled { get; set; }

    public string? BpfOverlayHostSourceIP { get; set; }

    public bool? BpfDisableUnprivileged { get; set; }

    public string? BpfLogLevel { get; set; }

    public string? BpfConntrackLogLevel { get; set; }

    public Dictionary<string, string>? BpfLogFilters { get; set; }

    public string? BpfCTLBLogFilter { get; set; }

    public string? BpfDataIfacePattern { get; set; }

    public string? BpfL3IfacePattern { get; set; }

    public bool? BpfConnectTimeLoadBalancingEnabled { get; set; }

    public string? BpfConnectTimeLoadBalancing { get; set; }

    public string? BpfHostNetworkedNATWithoutCTLB { get; set; }

    public string? BpfExternalServiceMode { get; set; }

    [KeepEmpty]
    public List<string>? BpfDSROptoutCIDRs { get; set; }

    // An unsigned 32-bit mark: 0xffffffff must fit.
    public long? BpfExtToServiceConnmark { get; set; }

    public bool? BpfKubeProxyIptablesCleanupEnabled { get; set; }

    public string? BpfKubeProxyMinSyncPeriod { get; set; }

    public bool? BpfKubeProxyEndpointSlicesEnabled { get; set; }

    public int? BpfKubeProxyHealthzPort { get; set; }

    public Port? BpfPSNATPorts { get; set; }

    public int? BpfMapSizeNATFrontend { get; set; }

    public int? BpfMapSizeNATBackend { get; set; }

    public int? BpfMapSizeNATAffinity { get; set; }

    public int? BpfMapSizeRoute { get; set; }

    public int? BpfMapSizeConntrack { get; set; }

    public int? BpfMapSizePerCpuConntrack { get; set; }

    public string? BpfMapSizeConntrackScaling { get; set; }

    public int? BpfMapSizeConntrackCleanupQueue { get; set; }

    public int? BpfMapSizeIPSets { get; set; }

    public int? BpfMapSizeIfState { get; set; }

    public bool? BpfHostConntrackBypass { get; set; }

    public bool? BpfIPFragmentReassemblyEnabled { get; set; }

    public string? BpfEnforceRPF { get; set; }

    public bool? BpfPolicyDebugEnabled { get; set; }

    [KeepEmpty]
    public List<string>? BpfForceTrackPacketsFromIfaces { get; set; }

    public string? BpfDisableGROForIfaces { get; set; }

    [KeepEmpty]
    public List<string>? BpfExcludeCIDRsFromNAT { get; set; }

    public int? BpfExportBufferSizeMB { get; set; }

    public string? IstioAmbientMode { get; set; }

    public Dscp? IstioDSCPMark { get; set; }

    public string? BpfRedirectToPeer { get; set; }

    public string? BpfAttachType { get; set; }

    public string? BpfProfiling { get; set; }

    public string? BpfJITHardening { get; set; }

    public string? BpfConntrackMode { get; set; }

    public BpfConntrackTimeouts? BpfConntrackTimeouts { get; set; }

    public string? BpfIPFragTimeout { get; set; }

    public string? RouteSource { get; set; }

    [KeepEmpty]
    public List<RouteTableRange>? RouteTableRanges { get; set; }

    public RouteTableRange? RouteTableRange { get; set; }

    public bool? RouteSyncDisabled { get; set; }

    [ApiName("ipv4NormalRoutePriority")]
    public int? Ipv4NormalRoutePriority { get; set; }

    [ApiName("ipv4ElevatedRoutePriority")]
    public int? Ipv4ElevatedRoutePriority { get; set; }

    [ApiName("ipv6NormalRoutePriority")]
    public int? Ipv6NormalRoutePriority { get; set; }

    [ApiName("ipv6ElevatedRoutePriority")]
    public int? Ipv6ElevatedRoutePriority { get; set; }

    public string? LiveMigrationRouteConvergenceTime { get; set; }

    public string? ProgramClusterRoutes { get; set; }

    public bool? WireguardEnabled { get; set; }

    public bool? WireguardEnabledV6 { get; set; }

    public bool? WireguardThreadingEnabled { get; set; }

    public int? WireguardListeningPort { get; set; }

    public int? WireguardListeningPortV6 { get; set; }

    public int? WireguardRoutingRulePriority { get; set; }

    public string? WireguardInterfaceName { get; set; }

    public string? WireguardInterfaceNameV6 { get; set; }

    public int? WireguardMTU { get; set; }

    public int? WireguardMTUV6 { get; set; }

    public bool? WireguardHostEncryptionEnabled { get; set; }

    public string? WireguardKeepAlive { get; set; }

    public string? AwsSrcDstCheck { get; set; }

    public string? ServiceLoopPrevention { get; set; }

    public string? WorkloadSourceSpoofing { get; set; }

    public string? MtuIfacePattern { get; set; }

    public bool? RequireMTUFile { get; set; }

    public int? BpfMaglevMaxEndpointsPerService { get; set; }

    public int? BpfMaglevMaxServices { get; set; }

    public string? FloatingIPs { get; set; }

    public string? LocalSubnetL2Reachability { get; set; }

    public string? LocalSubnetL2ReachabilityRefreshInterval { get; set; }

    public string? WindowsManageFirewallRules { get; set; }

    public string? CgroupV2Path { get; set; }

    public string? FlowLogsFlushInterval { get; set; }

    public bool? FlowLogsCollectorDebugTrace { get; set; }

    public string? FlowLogsGoldmaneServer { get; set; }

    public string? FlowLogsLocalReporter { get; set; }

    public string? FlowLogsPolicyEvaluationMode { get; set; }

    public int? GoGCThreshold { get; set; }

    public int? GoMemoryLimitMB { get; set; }

    public int? GoMaxProcs { get; set; }
}
