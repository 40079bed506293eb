namespace Ingrain.Steps.Container;

/// <summary>Settings of a <c>container</c> step; the roots are settable so a containerised agent can read the host's.</summary>
public sealed record ContainerOptions(string ProcRoot, string CgroupRoot, int CacheSize, TimeSpan PidCacheTtl);
