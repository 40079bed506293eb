using System.Globalization;

namespace Ingrain.Steps.Container;

/// <summary>
/// <c>container</c>: tags measurements from containers with <c>container_id</c> (and <c>pod_uid</c> under kubepods).
/// The cgroup comes from the measurement's <c>cgroup_id</c> tag when present (resolved through the cgroup2 mount),
/// else from <c>/proc/&lt;process_id&gt;/cgroup</c>. Results are cached: by cgroup id for good (cgroup v2 ids are
/// not reused within a boot), by pid for <see cref="ContainerOptions.PidCacheTtl"/> (pids are reused).
/// Measurements outside containers, or whose process has exited, pass unchanged.
/// </summary>
public sealed class ContainerStep : IPipelineStep
{
    private readonly ContainerOptions _options;
    private readonly TimeProvider _time;
    private readonly CgroupIdIndex _cgroupIds;
    private readonly Dictionary<ulong, ContainerInfo?> _byCgroupId = new();
    private readonly Dictionary<int, (ContainerInfo? Info, long At)> _byPid = new();

    public ContainerStep(ContainerOptions options, StepContext context)
    {
        _options = options;
        _time = context.Time;
        _cgroupIds = new CgroupIdIndex(options.CgroupRoot, context.Time, TimeSpan.FromSeconds(1));
    }

    public TimeSpan? FlushInterval => null;

    public void Process(Measurement measurement, IStepOutput output)
    {
        var info = Lookup(measurement.Tags);
        if (info is null)
        {
            output.Emit(measurement);
            return;
        }
        var tags = info.PodUid is null
            ? TagEdits.Set(measurement.Tags, "container_id", info.ContainerId)
            : TagEdits.Set(measurement.Tags, "container_id", info.ContainerId, "pod_uid", info.PodUid);
        output.Emit(ReferenceEquals(tags, measurement.Tags) ? measurement : measurement.WithTags(tags));
    }

    public void Flush(IStepOutput output) { }

    private ContainerInfo? Lookup(Tags tags)
    {
        if (ulong.TryParse(tags.Get("cgroup_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var cgroupId))
        {
            if (_byCgroupId.TryGetValue(cgroupId, out var known)) return known;
            var path = _cgroupIds.Find(cgroupId);
            if (path is not null)
            {
                var info = CgroupPaths.Parse(path);
                Remember(_byCgroupId, cgroupId, info);
                return info;
            }
        }
        if (int.TryParse(tags.Get("process_id"), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            if (_byPid.TryGetValue(pid, out var entry) && _time.GetElapsedTime(entry.At) < _options.PidCacheTtl) return entry.Info;
            var info = ReadProcCgroup(pid);
            Remember(_byPid, pid, (info, _time.GetTimestamp()));
            return info;
        }
        return null;
    }

    private ContainerInfo? ReadProcCgroup(int pid)
    {
        try
        {
            return CgroupPaths.ParseProcCgroup(File.ReadAllText(Path.Combine(_options.ProcRoot, pid.ToString(CultureInfo.InvariantCulture), "cgroup")));
        }
        catch (IOException)
        {
            return null; // the process has exited (or never was visible to us)
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Bounded memory: a full cache starts over rather than tracking recency on every hit.
    private void Remember<TKey, TValue>(Dictionary<TKey, TValue> cache, TKey key, TValue value) where TKey : notnull
    {
        if (cache.Count >= _options.CacheSize) cache.Clear();
        cache[key] = value;
    }
}
