namespace Tabby.Cni.Results;

/// <summary>An IP in a result; <see cref="Interface"/> indexes the result's interfaces (IPAM results leave it out).</summary>
public sealed record ResultIp(CidrAddress Address, string? Gateway = null, int? Interface = null);
