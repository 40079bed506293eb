namespace Ingrain.Steps.Container;

/// <summary>Which container a cgroup belongs to: its runtime's id, and the Kubernetes pod UID when under kubepods.</summary>
public sealed record ContainerInfo(string ContainerId, string? PodUid);
