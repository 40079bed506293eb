using Ingrain.Native;

namespace Ingrain.Steps.Container;

/// <summary>
/// The container step's <c>cgroup-root</c>: a path as configured, or <c>auto</c> (the default), the cgroup v2 mount
/// found in mountinfo, wherever the host mounts it (<c>/sys/fs/cgroup</c>, or <c>/sys/fs/cgroup/unified</c> on a hybrid
/// host).
/// </summary>
public static class CgroupRoot
{
    public const string Auto = "auto";

    /// <summary>The directory to use; null when <c>auto</c> finds no cgroup2 mount.</summary>
    public static string? Resolve(string configured, IEnumerable<string> mountinfo) =>
        configured == Auto ? Cgroup2.Find(mountinfo) : configured;
}
