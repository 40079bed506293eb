namespace Ingrain.Steps.Container;

/// <summary><c>type = container</c>: tags measurements with the container (cgroup) of their process.</summary>
public sealed class ContainerModule : StepModule<ContainerOptions>
{
    public override string Name => "container";

    protected override ContainerOptions Parse(ConfigSection s) => new(
        s.String("proc-root", required: true) ?? "",
        ParseCgroupRoot(s),
        s.Int("cache-size", min: 1),
        s.Duration("pid-cache-ttl", min: TimeSpan.Zero));

    private static string ParseCgroupRoot(ConfigSection s)
    {
        var configured = s.String("cgroup-root", required: true) ?? "";
        if (configured != CgroupRoot.Auto) return configured;
        var found = CgroupRoot.Resolve(configured, File.ReadLines("/proc/self/mountinfo"));
        if (found is null) s.Error("cgroup-root", "auto: no cgroup v2 mount in /proc/self/mountinfo; set cgroup-root to the cgroup v2 mount point");
        return found ?? "";
    }

    protected override IPipelineStep Create(ContainerOptions options, StepContext context) => new ContainerStep(options, context);
}
