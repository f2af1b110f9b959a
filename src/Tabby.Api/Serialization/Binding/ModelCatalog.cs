using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Tabby.Api.Resources;
using Tabby.Api.Serialization.Nodes;

namespace Tabby.Api.Serialization.Binding;

/// <summary>Every type the binder constructs or inspects, registered once with trimming annotations.</summary>
/// <remarks>
/// The CNI plugin is published NativeAOT. Registering each model type through an annotated generic
/// keeps its constructor and properties in a trimmed build and lets the binder avoid
/// <c>Activator</c> and <c>MakeGenericMethod</c>. A new model type must be added here; a test walks
/// every kind's fields to catch one that is missing.
/// </remarks>
internal static class ModelCatalog
{
    private const DynamicallyAccessedMemberTypes ModelMembers =
        DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties;

    private static readonly Dictionary<Type, Func<object>> s_factories = [];
    private static readonly Dictionary<Type, PropertyInfo[]> s_properties = [];
    private static readonly Dictionary<Type, ScalarParser> s_scalars = [];

    static ModelCatalog()
    {
        // Resources and their specs.
        Object<IPPool>(); Object<IPPoolSpec>(); Object<IPPoolStatus>();
        Object<IPReservation>(); Object<IPReservationSpec>();
        Object<IPAMConfiguration>(); Object<IPAMConfigurationSpec>();
        Object<IPAMBlock>(); Object<IPAMBlockSpec>(); Object<AllocationAttribute>();
        Object<BlockAffinity>(); Object<BlockAffinitySpec>();
        Object<IPAMHandle>(); Object<IPAMHandleSpec>();
        Object<Node>(); Object<NodeSpec>(); Object<NodeStatus>(); Object<NodeBgpSpec>(); Object<NodeWireguardSpec>(); Object<OrchRef>(); Object<NodeAddress>();
        Object<WorkloadEndpoint>(); Object<WorkloadEndpointSpec>(); Object<WorkloadEndpointPort>(); Object<IpNat>();
        Object<HostEndpoint>(); Object<HostEndpointSpec>(); Object<EndpointPort>();
        Object<Profile>(); Object<ProfileSpec>();
        Object<NetworkPolicy>(); Object<NetworkPolicySpec>();
        Object<GlobalNetworkPolicy>(); Object<GlobalNetworkPolicySpec>();
        Object<Tier>(); Object<TierSpec>(); Object<TierStatus>();
        Object<NetworkSet>(); Object<GlobalNetworkSet>(); Object<NetworkSetSpec>();
        Object<BGPConfiguration>(); Object<BGPConfigurationSpec>(); Object<CidrBlock>(); Object<Community>(); Object<PrefixAdvertisement>();
        Object<BGPPeer>(); Object<BGPPeerSpec>(); Object<BgpPassword>(); Object<SecretKeySelector>();
        Object<BGPFilter>(); Object<BGPFilterSpec>(); Object<BGPFilterRule>(); Object<BGPFilterPrefixLength>();
        Object<BGPFilterCommunityMatch>(); Object<BGPFilterOperation>(); Object<BGPFilterAddCommunity>();
        Object<BGPFilterPrependAsPath>(); Object<BGPFilterSetPriority>();
        Object<FelixConfiguration>(); Object<FelixConfigurationSpec>(); Object<HealthTimeoutOverride>(); Object<RouteTableRange>(); Object<ProtoPort>(); Object<BpfConntrackTimeouts>();
        Object<ClusterInformation>(); Object<ClusterInformationSpec>();

        // Shared parts.
        Object<ObjectMeta>(); Object<OwnerReference>(); Object<Condition>();
        Object<Rule>(); Object<EntityRule>(); Object<IcmpFields>(); Object<HttpMatch>(); Object<HttpPath>();
        Object<ServiceMatch>(); Object<ServiceAccountMatch>(); Object<RuleMetadata>();

        List<string>(); List<int>(); List<int?>(); List<Port>(); List<Rule>(); List<HttpPath>(); List<OwnerReference>();
        List<AllocationAttribute>(); List<EndpointPort>(); List<WorkloadEndpointPort>(); List<IpNat>(); List<OrchRef>();
        List<NodeAddress>(); List<CidrBlock>(); List<Community>(); List<PrefixAdvertisement>(); List<BGPFilterRule>();
        List<HealthTimeoutOverride>(); List<RouteTableRange>(); List<ProtoPort>();
        List<AsNumber>(); List<BGPFilterOperation>(); List<Condition>();
        Map<string>(); Map<ulong>(); Map<int>();

        Scalar<Port>(); Scalar<Protocol>(); Scalar<AsNumber>(); Scalar<Dscp>(); Scalar<BoolOrString>();
    }

    public delegate bool ScalarParser(ScalarNode node, out object? value, out string? error);

    /// <summary>Creates an empty object, list or map of a registered type.</summary>
    public static object Create(Type type) =>
        s_factories.TryGetValue(type, out var factory) ? factory() : throw Unregistered(type);

    public static PropertyInfo[] Properties(Type type) =>
        s_properties.TryGetValue(type, out var properties) ? properties : throw Unregistered(type);

    public static ScalarParser Parser(Type type) =>
        s_scalars.TryGetValue(type, out var parser) ? parser : throw Unregistered(type);

    public static bool IsRegistered(Type type) => s_factories.ContainsKey(type) || s_scalars.ContainsKey(type);

    private static InvalidOperationException Unregistered(Type type) =>
        new($"{type} is not registered in {nameof(ModelCatalog)}; add it there.");

    private static void Object<[DynamicallyAccessedMembers(ModelMembers)] T>()
        where T : class, new()
    {
        s_factories[typeof(T)] = static () => new T();
        s_properties[typeof(T)] = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
    }

    private static void List<T>() => s_factories[typeof(List<T>)] = static () => new List<T>();

    private static void Map<T>() => s_factories[typeof(Dictionary<string, T>)] = static () => new Dictionary<string, T>(StringComparer.Ordinal);

    private static void Scalar<T>()
        where T : IApiScalar<T>
    {
        s_scalars[typeof(T)] = static (ScalarNode node, out object? value, out string? error) =>
        {
            var ok = T.TryParse(node, out var parsed, out error);
            value = parsed;
            return ok;
        };
    }
}
