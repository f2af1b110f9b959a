using System.Text.RegularExpressions;

namespace Tabby.Cni.Protocol;

/// <summary>The CNI_* environment of one invocation, checked the way libcni's skel checks it.</summary>
public sealed partial class CniEnvironment
{
    private CniEnvironment(CniCommand command)
    {
        Command = command;
    }

    public CniCommand Command { get; }
    public string ContainerId { get; private init; } = "";

    /// <summary>CNI_NETNS: a path to the container's network namespace; may be empty on DEL.</summary>
    public string Netns { get; private init; } = "";

    public string IfName { get; private init; } = "";
    public string RawArgs { get; private init; } = "";
    public CniArgs Args { get; private init; } = CniArgs.Empty;

    /// <summary>CNI_PATH split into directories.</summary>
    public IReadOnlyList<string> Path { get; private init; } = [];

    /// <summary>CNI_NETNS_OVERRIDE: the runtime says CNI_NETNS may be the plugin's own namespace.</summary>
    public bool NetnsOverride { get; private init; }

    /// <summary>Reads and checks the variables the command needs.</summary>
    /// <exception cref="CniException">Code 4 (missing or invalid variables, naming them) or 3 (empty container ID).</exception>
    public static CniEnvironment Read(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        string Get(string name) => getVariable(name) ?? "";

        var commandText = Get("CNI_COMMAND");
        if (commandText.Length == 0)
            throw new CniException(CniErrorCode.InvalidEnvironment, "required env variables [CNI_COMMAND] missing",
                "this is a CNI plugin: a container runtime runs it with CNI_COMMAND=ADD|DEL|CHECK|GC|STATUS|VERSION and the network configuration on stdin");
        var command = ParseCommand(commandText);

        // Which variables each command needs, as the spec (and skel) lists them.
        var needsContainer = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        var needsNetns = command is CniCommand.Add or CniCommand.Check;
        var needsPath = command is not CniCommand.Version;
        var missing = new List<string>();
        if (needsContainer && Get("CNI_CONTAINERID").Length == 0)
            missing.Add("CNI_CONTAINERID");
        if (needsNetns && Get("CNI_NETNS").Length == 0)
            missing.Add("CNI_NETNS");
        if (needsContainer && Get("CNI_IFNAME").Length == 0)
            missing.Add("CNI_IFNAME");
        if (needsPath && Get("CNI_PATH").Length == 0)
            missing.Add("CNI_PATH");
        if (missing.Count > 0)
            throw new CniException(CniErrorCode.InvalidEnvironment, $"required env variables [{string.Join(",", missing)}] missing");

        var containerId = Get("CNI_CONTAINERID");
        var ifName = Get("CNI_IFNAME");
        if (needsContainer)
        {
            if (!ContainerIdPattern().IsMatch(containerId))
                throw new CniException(CniErrorCode.InvalidEnvironment, "invalid characters in CNI_CONTAINERID", containerId);
            if (ValidateInterfaceName(ifName) is { } problem)
                throw new CniException(CniErrorCode.InvalidEnvironment, $"invalid CNI_IFNAME: {problem}", ifName);
        }

        var rawArgs = Get("CNI_ARGS");
        var netnsOverride = Get("CNI_NETNS_OVERRIDE");
        return new CniEnvironment(command)
        {
            ContainerId = containerId,
            Netns = Get("CNI_NETNS"),
            IfName = ifName,
            RawArgs = rawArgs,
            Args = command is CniCommand.Version ? CniArgs.Empty : CniArgs.Parse(rawArgs),
            Path = Get("CNI_PATH").Split(':', StringSplitOptions.RemoveEmptyEntries),
            NetnsOverride = netnsOverride.Equals("true", StringComparison.OrdinalIgnoreCase) || netnsOverride == "1",
        };
    }

    /// <summary>The same variables with another CNI_COMMAND, as a delegated plugin is run (the IPAM DEL that undoes a failed ADD).</summary>
    public CniEnvironment WithCommand(CniCommand command) => new(command)
    {
        ContainerId = ContainerId,
        Netns = Netns,
        IfName = IfName,
        RawArgs = RawArgs,
        Args = Args,
        Path = Path,
        NetnsOverride = NetnsOverride,
    };

    public static CniCommand ParseCommand(string text) => text switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "GC" => CniCommand.Gc,
        "STATUS" => CniCommand.Status,
        "VERSION" => CniCommand.Version,
        _ => throw new CniException(CniErrorCode.InvalidEnvironment, $"unknown CNI_COMMAND: {text}", "CNI_COMMAND must be ADD, DEL, CHECK, GC, STATUS or VERSION"),
    };

    /// <summary>The kernel's rules for an interface name (libcni's ValidateInterfaceName); null when valid.</summary>
    public static string? ValidateInterfaceName(string name)
    {
        if (name.Length == 0)
            return "interface name is empty";
        if (name.Length > 15)
            return $"interface name '{name}' is longer than 15 characters";
        if (name is "." or "..")
            return "interface name is . or ..";
        foreach (var c in name)
        {
            if (c == '/' || c == ':' || char.IsWhiteSpace(c))
                return $"interface name '{name}' contains / or : or whitespace";
        }
        return null;
    }

    /// <summary>libcni's rule for container IDs and network names.</summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$", RegexOptions.CultureInvariant)]
    public static partial Regex ContainerIdPattern();
}
