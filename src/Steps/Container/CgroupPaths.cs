using System.Text.RegularExpressions;

namespace Ingrain.Steps.Container;

/// <summary>
/// Recognises container cgroups, for cgroup v1 and v2 and both cgroup drivers (cgroupfs, systemd):
/// <list type="bullet">
/// <item>docker: <c>/docker/&lt;id&gt;</c>, <c>/system.slice/docker-&lt;id&gt;.scope</c></item>
/// <item>containerd (CRI): <c>…/cri-containerd-&lt;id&gt;.scope</c></item>
/// <item>cri-o: <c>…/crio-&lt;id&gt;.scope</c> (not <c>crio-conmon-</c>, the monitor process)</item>
/// <item>podman: <c>…/libpod-&lt;id&gt;.scope[/container]</c> (not <c>libpod-conmon-</c>)</item>
/// <item>kubepods: <c>/kubepods/&lt;qos&gt;/pod&lt;uid&gt;/&lt;id&gt;</c>,
///   <c>/kubepods.slice/…/kubepods-&lt;qos&gt;-pod&lt;uid_with_underscores&gt;.slice/&lt;runtime&gt;-&lt;id&gt;.scope</c></item>
/// </list>
/// The id is the innermost path segment holding a 64-hex-digit id. ingraind looked only for v1 paths starting with
/// <c>/docker</c> or <c>/kube</c> and took the last segment, so systemd-driver and v2 paths gave wrong ids.
/// </summary>
public static partial class CgroupPaths
{
    [GeneratedRegex("^(?:docker-|cri-containerd-|crio-|libpod-|containerd-)?([0-9a-f]{64})(?:\\.scope)?$")]
    private static partial Regex ContainerSegment();

    [GeneratedRegex("pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\\.slice)?$")]
    private static partial Regex PodSegment();

    /// <summary>The container of one cgroup path (the part after the last <c>:</c> of a /proc/&lt;pid&gt;/cgroup line), or null.</summary>
    public static ContainerInfo? Parse(string cgroupPath)
    {
        var segments = cgroupPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var match = ContainerSegment().Match(segments[i]);
            if (!match.Success) continue;
            return new ContainerInfo(match.Groups[1].Value, PodUid(segments.AsSpan(0, i)));
        }
        return null;
    }

    /// <summary>The container named by the content of a <c>/proc/&lt;pid&gt;/cgroup</c> file: the first line that has one.</summary>
    public static ContainerInfo? ParseProcCgroup(string content)
    {
        foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // hierarchy-id:controllers:path — the path itself may contain ':' only in exotic setups; take after the second ':'.
            var first = line.IndexOf(':');
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0) continue;
            if (Parse(line[(second + 1)..]) is { } info) return info;
        }
        return null;
    }

    private static string? PodUid(ReadOnlySpan<string> parents)
    {
        var underKubepods = false;
        string? uid = null;
        foreach (var segment in parents)
        {
            if (segment.StartsWith("kubepods", StringComparison.Ordinal)) underKubepods = true;
            var match = PodSegment().Match(segment);
            if (match.Success) uid = match.Groups[1].Value.Replace('_', '-');
        }
        return underKubepods ? uid : null;
    }
}
